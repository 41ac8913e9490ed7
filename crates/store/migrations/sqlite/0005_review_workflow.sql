-- The unit a decided subject sat in at the end of its period (a member's cell, an
-- organisation itself), so that a report of any subtree counts by index; and the workflow steps
-- before a decision (R28, R29).
ALTER TABLE review_decisions ADD COLUMN unit_id INTEGER REFERENCES orgs(id);
UPDATE review_decisions SET unit_id = subject_id WHERE subject_kind <> 'member';
UPDATE review_decisions SET unit_id = (SELECT ms.org_id FROM memberships ms, review_periods p WHERE p.id = review_decisions.period_id AND ms.member_id = review_decisions.subject_id AND ms.valid_from <= p.period_end AND (ms.valid_to IS NULL OR ms.valid_to > p.period_end) ORDER BY ms.id DESC LIMIT 1) WHERE subject_kind = 'member';
UPDATE review_decisions SET unit_id = grassroots_id WHERE unit_id IS NULL;
CREATE INDEX review_decisions_unit ON review_decisions(period_id, unit_id, subject_kind, level, not_classified);

CREATE TABLE review_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES review_periods(id),
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    step TEXT NOT NULL,
    body TEXT NOT NULL,
    level TEXT,
    points INTEGER,
    content TEXT NOT NULL,
    strengths TEXT,
    weaknesses TEXT,
    remedies TEXT,
    remedies_done TEXT,
    sick_leave_months INTEGER,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE UNIQUE INDEX review_steps_subject ON review_steps(period_id, subject_kind, subject_id, step, body);
