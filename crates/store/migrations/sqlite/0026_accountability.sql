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
-- Cam kết học tập và làm theo Bác (R35): the items a member or a leadership collective commits
-- to for a year, the cell's mid-year comment and the year-end assessment.
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    items TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    mid_comment TEXT,
    mid_comment_on TEXT,
    assessment TEXT,
    assessed_on TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX commitments_subject_year ON commitments(subject_kind, subject_id, year);
-- Quy chế, quy định của cấp ủy (R32): a committee's regulations, each in versions (number,
-- dates signed and in force, what the revision changed, its text and an attached file with its
-- checksum, the next review) whose provisions name the person responsible for their task.
CREATE TABLE regulations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    folded_title TEXT NOT NULL,
    issuing_body TEXT NOT NULL,
    review_months INTEGER,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX regulations_committee ON regulations(committee_id);
CREATE TABLE regulation_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    regulation_id INTEGER NOT NULL REFERENCES regulations(id),
    version INTEGER NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    changes TEXT,
    body TEXT NOT NULL,
    folded_body TEXT NOT NULL,
    review_due TEXT,
    file_name TEXT,
    file_kind TEXT,
    file_bytes BLOB,
    file_sha256 TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX regulation_versions_once ON regulation_versions(regulation_id, version);
CREATE TABLE regulation_provisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL REFERENCES regulation_versions(id),
    article TEXT NOT NULL,
    task TEXT NOT NULL,
    responsible TEXT NOT NULL
);
CREATE INDEX regulation_provisions_version ON regulation_provisions(version_id);
-- Hội thi Bí thư chi bộ giỏi (R36): a committee's question bank, its contest rounds with their
-- questions, and each participant's score (in tenths of a point) and answers.
CREATE TABLE contest_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES orgs(id),
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    options TEXT NOT NULL,
    answer INTEGER NOT NULL,
    source TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX contest_questions_committee ON contest_questions(committee_id);
CREATE TABLE contest_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    held_on TEXT NOT NULL,
    questions TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX contest_rounds_committee ON contest_rounds(committee_id, held_on);
CREATE TABLE contest_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    score_tenths INTEGER NOT NULL,
    answers TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX contest_entries_once ON contest_entries(round_id, member_id);
