-- When a customer last changed, so a mapping that settles a field both sides master by the later modification
-- (lastWriterWins) has the ERP's side of the comparison. Existing customers count as changed now.
ALTER TABLE erp.customer ADD COLUMN modified_at timestamptz NOT NULL DEFAULT now();
