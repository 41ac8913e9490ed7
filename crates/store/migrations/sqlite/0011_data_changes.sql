-- The data-version steps that renamed one member (and changed nothing else), so a kept member
-- list can move that member to her new place instead of being read again.
CREATE TABLE data_changes (
    version INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL
);
