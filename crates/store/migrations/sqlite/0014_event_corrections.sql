-- R15: a correction keeps its approving decision whole: the reference, the day it was signed
-- and the body that issued it.
ALTER TABLE member_corrections ADD COLUMN decided_on TEXT;
ALTER TABLE member_corrections ADD COLUMN decided_by TEXT;
ALTER TABLE meeting_corrections ADD COLUMN decided_on TEXT;
ALTER TABLE meeting_corrections ADD COLUMN decided_by TEXT;
-- An event of a member's timeline recorded by mistake is never deleted: it is marked void and
-- a correction says why, on whose decision, and which event replaced it (if one did). Only the
-- events in force make the member's state and her spans on the rolls.
ALTER TABLE member_events ADD COLUMN voided INTEGER NOT NULL DEFAULT 0;
CREATE TABLE member_event_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    event_id INTEGER NOT NULL REFERENCES member_events(id),
    replacement_id INTEGER REFERENCES member_events(id),
    reason TEXT NOT NULL,
    decision_ref TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX member_event_corrections_event ON member_event_corrections(event_id);
CREATE INDEX member_event_corrections_member ON member_event_corrections(member_id, id);
