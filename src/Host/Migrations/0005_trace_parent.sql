-- The W3C traceparent of whatever wrote a delivery or an event (the webhook request, the flow run that booked the
-- invoice), so the run it starts continues the same trace: one trace per order, from webhook to receipt.
ALTER TABLE integration.inbox ADD COLUMN trace_parent text;
ALTER TABLE integration.outbox ADD COLUMN trace_parent text;
