-- ERP core: a feed of stock balances that changed, for the stores. Each bin row carries the id of the transaction
-- that last changed it; a reader asks for rows changed by transactions not yet seen (xid >= its watermark) and takes
-- as its next watermark the oldest transaction still running when it read, so a slow transaction that commits late
-- is never skipped (a row may come twice; pushing an absolute quantity twice is harmless).
ALTER TABLE erp.bin ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX bin_changed ON erp.bin (company, changed_xid);

CREATE FUNCTION erp.bin_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id();
    RETURN NEW;
END $$;
CREATE TRIGGER bin_touch BEFORE UPDATE ON erp.bin FOR EACH ROW EXECUTE FUNCTION erp.bin_touch();

-- Putting an item on hold (or back) changes what the stores may promise of it in every warehouse.
CREATE FUNCTION erp.item_status_touches_bins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE erp.bin SET changed_xid = pg_current_xact_id() WHERE company = NEW.company AND sku = NEW.sku;
    RETURN NEW;
END $$;
CREATE TRIGGER item_status_touches_bins AFTER UPDATE OF status ON erp.item FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION erp.item_status_touches_bins();
