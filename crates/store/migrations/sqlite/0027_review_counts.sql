-- The decisions of a review counted per organisation and outcome, kept by triggers in the
-- transaction of every write to review_decisions, so that a report reads a few rows per
-- organisation instead of every decision.
-- grouped_by: 0 every decision by its unit (a member's cell, an organisation itself);
--           1 the decisions that belong to a grassroots organisation, by that organisation;
--           2 the decisions that belong to none, by their unit.
-- org_id 0, level '' and not_classified '' stand for none.
CREATE TABLE review_counts (
    period_id INTEGER NOT NULL REFERENCES review_periods(id),
    grouped_by INTEGER NOT NULL,
    org_id INTEGER NOT NULL,
    subject_kind TEXT NOT NULL,
    level TEXT NOT NULL,
    not_classified TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (period_id, grouped_by, org_id, subject_kind, level, not_classified)
) WITHOUT ROWID;

INSERT INTO review_counts (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
SELECT period_id, 0, COALESCE(unit_id, 0), subject_kind, COALESCE(level, ''), COALESCE(not_classified, ''), COUNT(*)
FROM review_decisions GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO review_counts (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
SELECT period_id, CASE WHEN grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(grassroots_id, unit_id, 0),
       subject_kind, COALESCE(level, ''), COALESCE(not_classified, ''), COUNT(*)
FROM review_decisions GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER review_counts_insert AFTER INSERT ON review_decisions
BEGIN
    INSERT INTO review_counts (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
    VALUES (NEW.period_id, 0, COALESCE(NEW.unit_id, 0), NEW.subject_kind, COALESCE(NEW.level, ''), COALESCE(NEW.not_classified, ''), 1),
           (NEW.period_id, CASE WHEN NEW.grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(NEW.grassroots_id, NEW.unit_id, 0),
            NEW.subject_kind, COALESCE(NEW.level, ''), COALESCE(NEW.not_classified, ''), 1)
    ON CONFLICT (period_id, grouped_by, org_id, subject_kind, level, not_classified) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER review_counts_delete AFTER DELETE ON review_decisions
BEGIN
    UPDATE review_counts SET n = n - 1
    WHERE period_id = OLD.period_id AND subject_kind = OLD.subject_kind
      AND level = COALESCE(OLD.level, '') AND not_classified = COALESCE(OLD.not_classified, '')
      AND ((grouped_by = 0 AND org_id = COALESCE(OLD.unit_id, 0))
        OR (grouped_by = CASE WHEN OLD.grassroots_id IS NULL THEN 2 ELSE 1 END
            AND org_id = COALESCE(OLD.grassroots_id, OLD.unit_id, 0)));
    DELETE FROM review_counts
    WHERE period_id = OLD.period_id AND subject_kind = OLD.subject_kind AND n = 0
      AND level = COALESCE(OLD.level, '') AND not_classified = COALESCE(OLD.not_classified, '')
      AND grouped_by IN (0, 1, 2) AND org_id IN (COALESCE(OLD.unit_id, 0), COALESCE(OLD.grassroots_id, OLD.unit_id, 0));
END;

CREATE TRIGGER review_counts_update AFTER UPDATE OF period_id, subject_kind, grassroots_id, unit_id, level, not_classified ON review_decisions
BEGIN
    UPDATE review_counts SET n = n - 1
    WHERE period_id = OLD.period_id AND subject_kind = OLD.subject_kind
      AND level = COALESCE(OLD.level, '') AND not_classified = COALESCE(OLD.not_classified, '')
      AND ((grouped_by = 0 AND org_id = COALESCE(OLD.unit_id, 0))
        OR (grouped_by = CASE WHEN OLD.grassroots_id IS NULL THEN 2 ELSE 1 END
            AND org_id = COALESCE(OLD.grassroots_id, OLD.unit_id, 0)));
    DELETE FROM review_counts
    WHERE period_id = OLD.period_id AND subject_kind = OLD.subject_kind AND n = 0
      AND level = COALESCE(OLD.level, '') AND not_classified = COALESCE(OLD.not_classified, '')
      AND grouped_by IN (0, 1, 2) AND org_id IN (COALESCE(OLD.unit_id, 0), COALESCE(OLD.grassroots_id, OLD.unit_id, 0));
    INSERT INTO review_counts (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
    VALUES (NEW.period_id, 0, COALESCE(NEW.unit_id, 0), NEW.subject_kind, COALESCE(NEW.level, ''), COALESCE(NEW.not_classified, ''), 1),
           (NEW.period_id, CASE WHEN NEW.grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(NEW.grassroots_id, NEW.unit_id, 0),
            NEW.subject_kind, COALESCE(NEW.level, ''), COALESCE(NEW.not_classified, ''), 1)
    ON CONFLICT (period_id, grouped_by, org_id, subject_kind, level, not_classified) DO UPDATE SET n = n + 1;
END;

-- The report and the quota read the counts: the decisions' covering indexes are not needed.
DROP INDEX review_decisions_unit;
DROP INDEX review_decisions_grassroots;
