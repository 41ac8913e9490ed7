-- Sổ quyết định: the decisions a committee issues, numbered per committee and calendar year
-- (45-QĐ/ĐU); a number is never given twice.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issuer_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    abbreviation TEXT NOT NULL,
    kind TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    subject TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    signer TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX decisions_number ON decisions(issuer_id, year, number);
CREATE INDEX decisions_member ON decisions(member_id);
