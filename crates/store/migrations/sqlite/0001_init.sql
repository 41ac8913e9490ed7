-- Đảng vụ schema, SQLite. Dates are ISO-8601 text; intervals are [valid_from, valid_to).
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    founded_on TEXT NOT NULL,
    dissolved_on TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE org_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    parent_id INTEGER REFERENCES orgs(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    change TEXT NOT NULL
);
CREATE INDEX org_periods_org ON org_periods(org_id, valid_from);
CREATE INDEX org_periods_parent ON org_periods(parent_id, valid_from);

CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name TEXT NOT NULL,
    sort_key BLOB NOT NULL,
    sort_key_version INTEGER NOT NULL,
    folded_name TEXT NOT NULL,
    birth_name TEXT,
    aliases TEXT,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    birth_place TEXT,
    home_town TEXT,
    residence TEXT,
    ethnicity TEXT NOT NULL,
    religion TEXT,
    cccd TEXT,
    education TEXT,
    political_theory TEXT,
    professional TEXT,
    occupation TEXT,
    workplace TEXT,
    history_number TEXT,
    army INTEGER NOT NULL DEFAULT 0,
    police INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX members_cccd ON members(cccd) WHERE cccd IS NOT NULL;
CREATE UNIQUE INDEX members_history_number ON members(history_number) WHERE history_number IS NOT NULL;
CREATE INDEX members_sort ON members(sort_key, id);

CREATE TABLE member_tokens (
    token TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (token, member_id)
);
CREATE INDEX member_tokens_member ON member_tokens(member_id, token);

CREATE TABLE member_cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    card_number TEXT NOT NULL,
    generation TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    replaced_on TEXT,
    note TEXT
);
CREATE UNIQUE INDEX member_cards_number ON member_cards(card_number);
CREATE INDEX member_cards_member ON member_cards(member_id);

CREATE TABLE member_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id),
    discipline TEXT,
    decision_ref TEXT,
    decided_by TEXT,
    decided_on TEXT,
    note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX member_events_member ON member_events(member_id, occurred_on, id);

-- The read model of the timelines: spans of time a member sits in a cell with one status,
-- written by the app from the events (dangvu_domain::member::spans) in the same transaction.
-- sort_key repeats members.sort_key so lists sort from this table's index alone.
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,
    official INTEGER NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    sort_key BLOB NOT NULL
);
CREATE INDEX memberships_org ON memberships(org_id, valid_from, valid_to, sort_key, member_id, status, official);
CREATE INDEX memberships_member ON memberships(member_id, valid_from);
CREATE INDEX memberships_dates ON memberships(valid_from, valid_to, org_id, status, official);

CREATE TABLE member_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    decision_ref TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX member_corrections_member ON member_corrections(member_id, id);

CREATE TABLE committee_positions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    position TEXT NOT NULL,
    term_label TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    decision_ref TEXT
);
CREATE INDEX committee_positions_org ON committee_positions(org_id, valid_from);
CREATE INDEX committee_positions_member ON committee_positions(member_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    old_value TEXT,
    new_value TEXT,
    reason TEXT,
    decision_ref TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
