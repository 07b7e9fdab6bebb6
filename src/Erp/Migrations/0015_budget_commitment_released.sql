-- A commitment released (its order invoiced or cancelled) is kept, marked, so a late copy of the commit that made it
-- is answered as done instead of committing the amount again beside the spending that replaced it.
ALTER TABLE erp.budget_commitment ADD COLUMN released_at timestamptz;
