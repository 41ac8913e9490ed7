-- The term programme of each cell with the content of each month (R17), the items a
-- superior committee pushes to every cell of its subtree, and the items a meeting took up.
CREATE TABLE programme_pushes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    reference TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX programme_pushes_org ON programme_pushes(org_id, month);
CREATE TABLE programme_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    reference TEXT,
    push_id INTEGER REFERENCES programme_pushes(id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX programme_items_org ON programme_items(org_id, month);
CREATE INDEX programme_items_push ON programme_items(push_id);
CREATE TABLE meeting_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id INTEGER NOT NULL REFERENCES programme_items(id)
);
CREATE UNIQUE INDEX meeting_items_pair ON meeting_items(meeting_id, item_id);
CREATE INDEX meeting_items_item ON meeting_items(item_id);
