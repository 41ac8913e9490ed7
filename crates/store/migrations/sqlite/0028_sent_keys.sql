-- Keys of forms sent from a device that may send them again (a record entered offline and sent
-- when the network returned): a key seen once makes the second sending answer where the first
-- went, without doing it twice. `location` is empty while the first sending is in progress.
CREATE TABLE sent_keys (
    sent_key TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    location TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
