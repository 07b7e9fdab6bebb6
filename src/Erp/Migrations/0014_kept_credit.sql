-- What a store's refund kept of its credit note's goods (returned for an exchange item, or none of the money back):
-- the customer's credit on the invoice, which pays the order's invoices of the items they took instead.
ALTER TABLE erp.sales_document ADD COLUMN kept_credit numeric(20, 4) NOT NULL DEFAULT 0;
