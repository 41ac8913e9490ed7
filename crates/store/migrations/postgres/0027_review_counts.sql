-- The decisions of a review counted per organisation and outcome, kept by triggers in the
-- transaction of every write to review_decisions, so that a report reads a few rows per
-- organisation instead of every decision.
-- grouped_by: 0 every decision by its unit (a member's cell, an organisation itself);
--             1 the decisions that belong to a grassroots organisation, by that organisation;
--             2 the decisions that belong to none, by their unit.
-- org_id 0, level '' and not_classified '' stand for none.
CREATE TABLE review_counts (
    period_id BIGINT NOT NULL REFERENCES review_periods(id),
    grouped_by BIGINT NOT NULL,
    org_id BIGINT NOT NULL,
    subject_kind TEXT NOT NULL,
    level TEXT NOT NULL,
    not_classified TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (period_id, grouped_by, org_id, subject_kind, level, not_classified)
);

INSERT INTO review_counts (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
SELECT period_id, 0, COALESCE(unit_id, 0), subject_kind, COALESCE(level, ''), COALESCE(not_classified, ''), COUNT(*)
FROM review_decisions GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO review_counts (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
SELECT period_id, CASE WHEN grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(grassroots_id, unit_id, 0),
       subject_kind, COALESCE(level, ''), COALESCE(not_classified, ''), COUNT(*)
FROM review_decisions GROUP BY 1, 2, 3, 4, 5, 6;

-- One trigger per statement, over the rows it wrote (its transition tables): a statement that
-- writes many decisions (a generated review) changes each count once.
CREATE FUNCTION review_counts_kept() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO review_counts AS c (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
        SELECT period_id, g, org_id, subject_kind, lv, nc, -COUNT(*) FROM (
            SELECT period_id, CAST(0 AS BIGINT) AS g, COALESCE(unit_id, 0) AS org_id, subject_kind,
                   COALESCE(level, '') AS lv, COALESCE(not_classified, '') AS nc FROM old_rows
            UNION ALL
            SELECT period_id, CASE WHEN grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(grassroots_id, unit_id, 0),
                   subject_kind, COALESCE(level, ''), COALESCE(not_classified, '') FROM old_rows
        ) x GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (period_id, grouped_by, org_id, subject_kind, level, not_classified) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO review_counts AS c (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
        SELECT period_id, g, org_id, subject_kind, lv, nc, COUNT(*) FROM (
            SELECT period_id, CAST(0 AS BIGINT) AS g, COALESCE(unit_id, 0) AS org_id, subject_kind,
                   COALESCE(level, '') AS lv, COALESCE(not_classified, '') AS nc FROM new_rows
            UNION ALL
            SELECT period_id, CASE WHEN grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(grassroots_id, unit_id, 0),
                   subject_kind, COALESCE(level, ''), COALESCE(not_classified, '') FROM new_rows
        ) x GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (period_id, grouped_by, org_id, subject_kind, level, not_classified) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER review_counts_insert AFTER INSERT ON review_decisions
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_counts_kept();
CREATE TRIGGER review_counts_update AFTER UPDATE ON review_decisions
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_counts_kept();
CREATE TRIGGER review_counts_delete AFTER DELETE ON review_decisions
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION review_counts_kept();

-- The report and the quota read the counts: the decisions' covering indexes are not needed.
DROP INDEX review_decisions_unit;
DROP INDEX review_decisions_grassroots;
