-- A transfer out (or a temporary attachment) names where the member goes: an organisation of
-- this system in org_id, or one outside it by name here. The receiving side accepts only a
-- transfer addressed to it.
ALTER TABLE member_events ADD COLUMN destination TEXT;
