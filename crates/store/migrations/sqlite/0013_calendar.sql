-- An administrator's changes to the working-day calendar, laid over the built-in days of
-- dangvu_domain::calendar::vn: kind 'off' (a day off), 'work' (a make-up working day), or NULL
-- (the day back to the week's rule). One row a day: the latest change.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT,
    note TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
