-- The column mapping a user confirmed for a workbook layout (its header texts, folded), reused
-- the next time a workbook with the same headers is imported.
CREATE TABLE import_layouts (
    layout_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    mapping TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (kind, layout_key)
);
-- A member is found again by her name and date of birth when a row has no register number.
CREATE INDEX members_name_birth ON members(folded_name, birth_date);
