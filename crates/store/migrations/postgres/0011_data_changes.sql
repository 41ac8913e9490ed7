-- What each step of the data version changed: a member renamed (and nothing else), one
-- member's memberships, or organisations. Kept lists and counts follow renames, and the
-- in-memory history re-reads only the members changed, instead of being read again.
CREATE TABLE data_changes (
    version BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    member_id BIGINT,
    org_id BIGINT
);
