-- The data-version steps that renamed one member (and changed nothing else), so a kept member
-- list can move that member to her new place instead of being read again.
CREATE TABLE data_changes (
    version BIGINT PRIMARY KEY,
    member_id BIGINT NOT NULL
);
