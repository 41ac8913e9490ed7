-- Who of the superior committee is assigned to attend a cell's meetings
-- and who attended each meeting; the tasks a meeting gives named members for next month; the
-- scoring templates of a meeting's quality (data, versioned by date) and each meeting's scores;
-- the recorded corrections of adopted minutes (R15).
CREATE TABLE meeting_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX meeting_assignments_org ON meeting_assignments(org_id, valid_from);
CREATE TABLE meeting_guests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id)
);
CREATE UNIQUE INDEX meeting_guests_pair ON meeting_guests(meeting_id, member_id);
CREATE TABLE meeting_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    task TEXT NOT NULL
);
CREATE INDEX meeting_tasks_meeting ON meeting_tasks(meeting_id);
CREATE TABLE scoring_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    valid_from TEXT,
    body TEXT NOT NULL
);
CREATE TABLE meeting_scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    template_id INTEGER NOT NULL REFERENCES scoring_templates(id),
    criterion TEXT NOT NULL,
    points INTEGER NOT NULL
);
CREATE UNIQUE INDEX meeting_scores_pair ON meeting_scores(meeting_id, criterion);
CREATE TABLE meeting_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    decision_ref TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX meeting_corrections_meeting ON meeting_corrections(meeting_id, id);
-- The shipped template: the usual five criteria of a cell meeting's quality (HD 12-HD/BTCTW),
-- 100 points, bands as most provinces grade them.
INSERT INTO scoring_templates (code, name, valid_from, body) VALUES ('hd12-2018', 'Khung chấm điểm chất lượng sinh hoạt chi bộ (theo Hướng dẫn 12-HD/BTCTW)', NULL,
'{"criteria":[{"code":"preparation","name":"Công tác chuẩn bị (nội dung, tài liệu, thông báo)","max":20},{"code":"attendance","name":"Tỷ lệ đảng viên dự, đúng giờ","max":20},{"code":"conduct","name":"Điều hành, tiến hành đúng trình tự, thảo luận dân chủ","max":20},{"code":"principles","name":"Nguyên tắc, tự phê bình và phê bình","max":20},{"code":"resolution","name":"Chất lượng nghị quyết, tính khả thi","max":20}],"bands":[{"min":90,"code":"good","name":"Tốt"},{"min":70,"code":"fair","name":"Khá"},{"min":50,"code":"average","name":"Trung bình"},{"min":0,"code":"weak","name":"Kém"}]}');
