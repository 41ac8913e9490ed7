-- What each cell collected for each month (payments not cancelled): kept in the same
-- transaction as the payment or its cancellation, so that the totals of a subtree read a row per
-- cell and month, not a row per member.
CREATE TABLE dues_cell_months (
    cell_id BIGINT NOT NULL REFERENCES orgs(id),
    month TEXT NOT NULL,
    payers BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (cell_id, month)
);
INSERT INTO dues_cell_months (cell_id, month, payers, amount)
SELECT cell_id, month, COUNT(*), SUM(amount) FROM dues_payments WHERE cancelled_on IS NULL GROUP BY cell_id, month;
