-- Người được xem xét kết nạp: a person on the way to admission in a cell (R7): her record (the
-- R5 fields, as JSON), the stage she reached, and each stage she passed with its details
-- (JSON: the helper, the certificate, the vote and introducers, the decision, the ceremony).
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cell_id INTEGER NOT NULL REFERENCES orgs(id),
    full_name TEXT NOT NULL,
    record TEXT NOT NULL,
    stage TEXT NOT NULL,
    stage_on TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX candidates_cell ON candidates(cell_id, id);
CREATE TABLE candidate_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    stage TEXT NOT NULL,
    done_on TEXT NOT NULL,
    details TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX candidate_steps_stage ON candidate_steps(candidate_id, stage);
