-- A stock count posted without a rate values what it counts at the bin's rate at that point. Kept, so a back-dated
-- movement before it values the count again at the rate then, not at the rate it was first posted at (which wrote off
-- the difference to the stock adjustment account and left the stock under- or over-valued).
ALTER TABLE erp.stock_ledger_entry ADD COLUMN at_current_rate boolean NOT NULL DEFAULT false;
