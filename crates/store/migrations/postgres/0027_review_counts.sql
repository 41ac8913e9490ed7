-- The decisions of a review counted per organisation and outcome, kept by a trigger in the
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

CREATE FUNCTION review_counts_add(d review_decisions, step BIGINT) RETURNS void AS $$
    INSERT INTO review_counts AS c (period_id, grouped_by, org_id, subject_kind, level, not_classified, n)
    VALUES (d.period_id, 0, COALESCE(d.unit_id, 0), d.subject_kind, COALESCE(d.level, ''), COALESCE(d.not_classified, ''), step),
           (d.period_id, CASE WHEN d.grassroots_id IS NULL THEN 2 ELSE 1 END, COALESCE(d.grassroots_id, d.unit_id, 0),
            d.subject_kind, COALESCE(d.level, ''), COALESCE(d.not_classified, ''), step)
    ON CONFLICT (period_id, grouped_by, org_id, subject_kind, level, not_classified) DO UPDATE SET n = c.n + excluded.n;
    DELETE FROM review_counts
    WHERE step < 0 AND n = 0 AND period_id = d.period_id AND subject_kind = d.subject_kind
      AND level = COALESCE(d.level, '') AND not_classified = COALESCE(d.not_classified, '')
      AND org_id IN (COALESCE(d.unit_id, 0), COALESCE(d.grassroots_id, d.unit_id, 0));
$$ LANGUAGE sql;

CREATE FUNCTION review_counts_kept() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM review_counts_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM review_counts_add(NEW, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER review_counts_kept AFTER INSERT OR DELETE OR UPDATE OF period_id, subject_kind, grassroots_id, unit_id, level, not_classified
ON review_decisions FOR EACH ROW EXECUTE FUNCTION review_counts_kept();

-- The report and the quota read the counts: the decisions' covering indexes are not needed.
DROP INDEX review_decisions_unit;
DROP INDEX review_decisions_grassroots;
