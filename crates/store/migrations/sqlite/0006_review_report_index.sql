-- The whole-tree report counts members and cells per grassroots organisation in index
-- order (no sort of a million rows); the quota reads the same index.
DROP INDEX review_decisions_grassroots;
CREATE INDEX review_decisions_grassroots ON review_decisions(period_id, grassroots_id, subject_kind, level, not_classified);
ANALYZE review_decisions;
