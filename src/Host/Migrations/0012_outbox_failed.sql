-- Failed ERP events are few among many done ones (kept for Messages:Retention:OutboxDays): the health check counts them
-- and operators list them without reading the whole table.
CREATE INDEX outbox_failed ON integration.outbox (id) WHERE status = 'failed';
