-- R15: a correction of a locked review's decision keeps its row: the decision corrected (kept
-- under its id from here on), the old and the new level, the reason, and the document that
-- ordered it whole (reference, date, body).
CREATE TABLE review_decision_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id INTEGER NOT NULL REFERENCES review_decisions(id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    decision_ref TEXT,
    decided_on TEXT,
    decided_by TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX review_decision_corrections_decision ON review_decision_corrections(decision_id, id);
