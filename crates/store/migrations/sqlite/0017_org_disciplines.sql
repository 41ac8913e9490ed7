-- Kỷ luật tổ chức đảng (R12): khiển trách, cảnh cáo or giải tán of an organisation, with the
-- decision (reference, date, body) and the reason; read by the review (R26).
CREATE TABLE org_disciplines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    form TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decision_ref TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX org_disciplines_org ON org_disciplines(org_id, decided_on);
