-- Đảng phí (R14). A member's dues basis over time: from its first month, her category and the
-- declared monthly income or the flat amount her committee set (one row per starting month;
-- a change is a new row, a correction of the same month replaces it and is audited).
CREATE TABLE dues_bases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    valid_from TEXT NOT NULL,
    category TEXT NOT NULL,
    income INTEGER,
    flat INTEGER,
    note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX dues_bases_month ON dues_bases(member_id, valid_from);
-- The cell's dues ledger: one row per member and month paid, with what was due that month, what
-- was paid, the day, who received it, the cell that collected it, the receipt (the first row of
-- a payment of several months) and the meeting it was collected at. A payment entered in error
-- is cancelled with its reason, never deleted.
CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    month TEXT NOT NULL,
    cell_id INTEGER NOT NULL REFERENCES orgs(id),
    due INTEGER,
    amount INTEGER NOT NULL,
    paid_on TEXT NOT NULL,
    received_by TEXT,
    receipt INTEGER,
    meeting_id INTEGER REFERENCES meetings(id),
    cancelled_on TEXT,
    cancel_reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX dues_payments_month ON dues_payments(member_id, month) WHERE cancelled_on IS NULL;
CREATE INDEX dues_payments_cell ON dues_payments(cell_id, month);
CREATE INDEX dues_payments_meeting ON dues_payments(meeting_id);
