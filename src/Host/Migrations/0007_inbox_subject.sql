-- The record a delivery is about (order:450789469) and the version it carries (the store's updated_at), so a
-- reconciliation feeds only the versions no delivery brought, and an operator finds every delivery of one order.
-- Led by the subject, which alone nearly picks the rows; partial, so deliveries without one cost no entry.
ALTER TABLE integration.inbox ADD COLUMN subject text, ADD COLUMN subject_version timestamptz;
CREATE INDEX inbox_by_subject ON integration.inbox (subject, subject_version) WHERE subject IS NOT NULL;
