-- Thẻ đảng viên: the committee that issued a card and where it stands (in use, lost, replaced,
-- recovered on leaving the Party), with the day it stopped being in use.
ALTER TABLE member_cards RENAME COLUMN replaced_on TO ended_on;
ALTER TABLE member_cards ADD COLUMN status TEXT NOT NULL DEFAULT 'in_use';
ALTER TABLE member_cards ADD COLUMN issuer_id INTEGER REFERENCES orgs(id);
UPDATE member_cards SET status = 'replaced' WHERE ended_on IS NOT NULL;
