-- Money paid back to a customer who paid an invoice more than it came to (a store order edited down after payment):
-- no credit note (nothing sold is given back), only the receivable's credit balance paid out.
ALTER TABLE erp.sales_document DROP CONSTRAINT sales_document_doc_type_check;
ALTER TABLE erp.sales_document ADD CONSTRAINT sales_document_doc_type_check
    CHECK (doc_type IN ('Sales Order', 'Sales Invoice', 'Sales Return', 'Payment', 'Delivery', 'Overpayment Refund'));

-- A credit note for units a store's edit took off an invoiced order: no refund of its own; its money is the customer's
-- credit, paid back by the overpayment refund that follows. Each invoice line counts the units so credited, so an
-- edit seen again (a redelivery, the refund's run) credits them once.
ALTER TABLE erp.sales_document ADD COLUMN customer_credit boolean NOT NULL DEFAULT false;
ALTER TABLE erp.sales_document_line ADD COLUMN edited_off_qty numeric(20, 6) NOT NULL DEFAULT 0;
