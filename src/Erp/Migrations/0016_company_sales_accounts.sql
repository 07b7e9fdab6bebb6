-- The receivable and output VAT accounts of sales documents, named by the company instead of taken as the first account
-- of their type: an account of that type added later (withholding tax payable, a second receivable) no longer takes
-- the sales' postings over. Existing companies keep the account their documents have posted to.
ALTER TABLE erp.company ADD COLUMN receivable_account text, ADD COLUMN output_tax_account text;

UPDATE erp.company c SET
    receivable_account = (SELECT id FROM erp.account WHERE company = c.id AND account_type = 'Receivable' AND NOT is_group AND NOT disabled ORDER BY id LIMIT 1),
    output_tax_account = (SELECT id FROM erp.account WHERE company = c.id AND account_type = 'Tax' AND root_type = 'Liability' AND NOT is_group AND NOT disabled ORDER BY id LIMIT 1);
