-- The record a delivery is about (order:450789469) and the version it carries (the store's updated_at), so a
-- reconciliation feeds only the versions no delivery brought. Partial: deliveries without a subject cost no entry.
ALTER TABLE integration.inbox ADD COLUMN subject text, ADD COLUMN subject_version timestamptz;
CREATE INDEX inbox_by_subject ON integration.inbox (source, store, subject, subject_version) WHERE subject IS NOT NULL;
