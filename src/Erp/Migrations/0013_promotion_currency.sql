-- An amount off is money in a currency: it applies to the price lists of that currency only (a promotion of 50 EGP
-- off took 50 off a USD list's prices too). Existing amount promotions are in their company's currency.
ALTER TABLE erp.promotion ADD COLUMN currency char(3);
UPDATE erp.promotion p SET currency = c.currency FROM erp.company c WHERE c.id = p.company AND p.kind = 'Amount';
ALTER TABLE erp.promotion ADD CONSTRAINT promotion_amount_currency CHECK (kind <> 'Amount' OR currency IS NOT NULL);
