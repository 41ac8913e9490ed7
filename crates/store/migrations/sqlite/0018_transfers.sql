-- Chuyển sinh hoạt đảng (R10): an official or temporary transfer of a member, with the letter
-- (its number in the issuing committee's register of the year), the reason, the dues paid up to,
-- the decision that caused it, the planned return of a temporary stay, and how it ended:
-- accepted in a cell, returned by the receiving side, cancelled, or the member back home.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    reason TEXT,
    from_org INTEGER REFERENCES orgs(id),
    to_org INTEGER REFERENCES orgs(id),
    to_name TEXT,
    issuer_id INTEGER REFERENCES orgs(id),
    year INTEGER NOT NULL,
    seq INTEGER,
    letter_number TEXT,
    sent_on TEXT NOT NULL,
    trigger_on TEXT,
    dues_paid_to TEXT,
    planned_return TEXT,
    status TEXT NOT NULL,
    out_event INTEGER NOT NULL REFERENCES member_events(id),
    in_event INTEGER REFERENCES member_events(id),
    closed_on TEXT,
    closed_cell INTEGER REFERENCES orgs(id),
    close_reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX transfers_member ON transfers(member_id, id);
CREATE INDEX transfers_from ON transfers(from_org, status);
CREATE INDEX transfers_to ON transfers(to_org, status);
CREATE UNIQUE INDEX transfers_seq ON transfers(issuer_id, year, seq);
