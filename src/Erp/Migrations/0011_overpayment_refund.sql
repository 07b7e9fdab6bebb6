-- Money paid back to a customer who paid an invoice more than it came to (a store order edited down after payment):
-- no credit note (nothing sold is given back), only the receivable's credit balance paid out.
ALTER TABLE erp.sales_document DROP CONSTRAINT sales_document_doc_type_check;
ALTER TABLE erp.sales_document ADD CONSTRAINT sales_document_doc_type_check
    CHECK (doc_type IN ('Sales Order', 'Sales Invoice', 'Sales Return', 'Payment', 'Delivery', 'Overpayment Refund'));
