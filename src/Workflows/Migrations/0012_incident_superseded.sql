-- Flow runtime: an open incident met again, at the same step with the same message, by a later run of the same flow for
-- the same record (correlation id) is superseded by the newer one, which stands for it: a store redelivering an order
-- that keeps failing the same way leaves one incident open, not one per delivery.
ALTER TABLE flows.incident DROP CONSTRAINT incident_status_check;
ALTER TABLE flows.incident ADD CONSTRAINT incident_status_check CHECK (status IN ('Open', 'Retried', 'Cancelled', 'Superseded'));
ALTER TABLE flows.incident ADD COLUMN superseded_by bigint;
