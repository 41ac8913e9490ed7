-- A counter bumped by every change of organisations or members (not by sign-ins): it versions
-- the caches of derived figures (tree counts, list lengths, resolved scopes), across processes.
CREATE TABLE data_version (
    id BIGINT PRIMARY KEY,
    v BIGINT NOT NULL
);
INSERT INTO data_version (id, v) VALUES (1, 0);
