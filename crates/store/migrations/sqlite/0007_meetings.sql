-- Cell meetings and the attendance of every member (R16–R19).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    chair_id INTEGER REFERENCES members(id),
    minute_taker_id INTEGER REFERENCES members(id),
    superior_guests TEXT,
    topic TEXT,
    dues_collected INTEGER NOT NULL,
    resolution TEXT,
    votes_yes INTEGER,
    votes_no INTEGER,
    votes_abstain INTEGER,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX meetings_org ON meetings(org_id, held_on);
CREATE TABLE meeting_attendance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    attendance TEXT NOT NULL,
    reason TEXT,
    official INTEGER NOT NULL,
    dues_paid INTEGER NOT NULL
);
CREATE UNIQUE INDEX meeting_attendance_member ON meeting_attendance(meeting_id, member_id);
CREATE INDEX meeting_attendance_by_member ON meeting_attendance(member_id, meeting_id);
