-- Annual review and quality classification: periods and the decided levels.
CREATE TABLE review_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    label TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    rule_set TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX review_periods_org ON review_periods(org_id, period_start);

CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES review_periods(id),
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    grassroots_id INTEGER REFERENCES orgs(id),
    level TEXT,
    not_classified TEXT,
    points INTEGER,
    decision_ref TEXT,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL
);
CREATE UNIQUE INDEX review_decisions_subject ON review_decisions(period_id, subject_kind, subject_id);
CREATE INDEX review_decisions_grassroots ON review_decisions(period_id, grassroots_id, subject_kind, level);
