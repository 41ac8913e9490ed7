-- Giáo dục, giúp đỡ đảng viên (R11): a period of education and help a cell decided for a member,
-- why, and how it ended (progressed or not), with the day of each.
CREATE TABLE member_education (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    started_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    ended_on TEXT,
    outcome TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX member_education_member ON member_education(member_id, id);
