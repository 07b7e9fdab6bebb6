-- Running balances in slots: every sale posts to the same few balance rows (receivable, sales, VAT, stock, COGS of the
-- month), and a row stays locked from the posting until its transaction commits, so concurrent postings queued on them
-- one at a time (bench/loop.sh, docs/benchmarks.md "Whole loop"). A posting now adds to one of eight slots of each row
-- (chosen per database connection, so all vouchers of one transaction use one slot and cannot deadlock each other).
-- Readers already sum the rows; a slot changes no figure.
ALTER TABLE erp.gl_balance ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE erp.gl_balance DROP CONSTRAINT gl_balance_pkey;
ALTER TABLE erp.gl_balance ADD PRIMARY KEY (company, account, cost_center, month, slot);
