-- Giám sát kê khai tài sản, thu nhập (R33): the cadres a committee manages, their declarations
-- (kind, due day, day received) and the supervisions and inspections of them. Metadata only:
-- the declarations themselves stay with the state's asset-control agency.
CREATE TABLE asset_cadres (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES orgs(id),
    full_name TEXT NOT NULL,
    sort_key BLOB NOT NULL,
    position TEXT NOT NULL,
    workplace TEXT,
    from_date TEXT NOT NULL,
    to_date TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX asset_cadres_committee ON asset_cadres(committee_id, sort_key);
CREATE TABLE asset_declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cadre_id INTEGER NOT NULL REFERENCES asset_cadres(id),
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    received_on TEXT,
    receiving_body TEXT,
    note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX asset_declarations_once ON asset_declarations(cadre_id, kind, due_on);
CREATE INDEX asset_declarations_due ON asset_declarations(due_on) WHERE received_on IS NULL;
CREATE TABLE asset_supervisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cadre_id INTEGER NOT NULL REFERENCES asset_cadres(id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    trigger_code TEXT NOT NULL,
    started_on TEXT NOT NULL,
    change_vnd INTEGER,
    findings TEXT,
    follow_up TEXT,
    concluded_on TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX asset_supervisions_cadre ON asset_supervisions(cadre_id, year);
-- Ý kiến góp ý xây dựng Đảng (R34): opinions of the Fatherland Front, the mass organisations
-- and the people, in the register of the committee responsible for them, about an
-- organisation or a member, given to a body and a person to answer by a working day, and
-- attached to the subject's review of a period.
CREATE TABLE opinions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES orgs(id),
    source TEXT NOT NULL,
    source_name TEXT,
    received_on TEXT NOT NULL,
    subject_org_id INTEGER REFERENCES orgs(id),
    subject_member_id INTEGER REFERENCES members(id),
    content TEXT NOT NULL,
    assigned_body TEXT,
    assigned_person TEXT,
    assigned_on TEXT,
    due_by TEXT,
    response TEXT,
    answered_on TEXT,
    review_period_id INTEGER REFERENCES review_periods(id),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX opinions_committee ON opinions(committee_id, received_on);
CREATE INDEX opinions_open ON opinions(due_by) WHERE answered_on IS NULL;
CREATE INDEX opinions_member ON opinions(subject_member_id) WHERE subject_member_id IS NOT NULL;
CREATE INDEX opinions_org ON opinions(subject_org_id) WHERE subject_org_id IS NOT NULL;
