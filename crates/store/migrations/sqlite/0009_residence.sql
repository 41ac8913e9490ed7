-- Members' contact with their place of residence (R20–R22): the introduction by the
-- workplace committee and the attachment to a residential cell, the residence committee's
-- half-yearly meetings, and the yearly comment (phiếu nhận xét) certified by that committee.
CREATE TABLE residence_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    workplace_org_id INTEGER NOT NULL REFERENCES orgs(id),
    residence_org_id INTEGER NOT NULL REFERENCES orgs(id),
    cell_id INTEGER REFERENCES orgs(id),
    introduced_on TEXT NOT NULL,
    attached_on TEXT,
    ended_on TEXT,
    exempt_category TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX residence_links_member ON residence_links(member_id, introduced_on);
CREATE INDEX residence_links_residence ON residence_links(residence_org_id, introduced_on);
CREATE TABLE residence_meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    residence_org_id INTEGER NOT NULL REFERENCES orgs(id),
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX residence_meetings_org ON residence_meetings(residence_org_id, held_on);
CREATE TABLE residence_attendance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES residence_meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    attendance TEXT NOT NULL,
    reason TEXT
);
CREATE UNIQUE INDEX residence_attendance_member ON residence_attendance(meeting_id, member_id);
CREATE TABLE residence_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    year INTEGER NOT NULL,
    cell_id INTEGER NOT NULL REFERENCES orgs(id),
    content TEXT NOT NULL,
    certified_on TEXT,
    certified_by TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE UNIQUE INDEX residence_comments_member_year ON residence_comments(member_id, year);
