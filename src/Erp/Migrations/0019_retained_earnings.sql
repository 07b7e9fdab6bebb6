-- The equity account that takes the profit and loss of earlier fiscal years: reports start each year's income and
-- expense accounts at zero and show what earlier years left on it. Companies with the default chart take 3200.
ALTER TABLE erp.company ADD COLUMN retained_earnings_account text;

UPDATE erp.company c SET retained_earnings_account = '3200'
WHERE EXISTS (SELECT 1 FROM erp.account WHERE company = c.id AND id = '3200' AND root_type = 'Equity' AND NOT is_group);
