-- The store's version (e.g. Shopify's updated_at) an open sales order was last brought to: an edit is applied once,
-- and an older version delivered late does not undo a newer one.
ALTER TABLE erp.sales_document ADD COLUMN source_version text;
