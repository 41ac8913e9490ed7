-- Huy hiệu Đảng (R13): a badge of a member for a milestone of seniority, from its proposal for a
-- presentation day (with the exception that allowed it: seriously ill, posthumous, missed) to its
-- approval (the decision), its presentation with its number, and its return by an expelled
-- member. A proposal withdrawn is kept as cancelled.
CREATE TABLE badges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    years INTEGER NOT NULL,
    day TEXT NOT NULL,
    cell_id INTEGER REFERENCES orgs(id),
    exception TEXT NOT NULL,
    reason TEXT,
    reach_on TEXT,
    status TEXT NOT NULL,
    proposed_on TEXT NOT NULL,
    approved_on TEXT,
    approval_ref TEXT,
    approval_body TEXT,
    presented_on TEXT,
    number TEXT,
    returned_on TEXT,
    return_reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX badges_member_years ON badges(member_id, years) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX badges_number ON badges(number) WHERE number IS NOT NULL;
CREATE INDEX badges_day ON badges(day, cell_id);
CREATE INDEX badges_member ON badges(member_id);
