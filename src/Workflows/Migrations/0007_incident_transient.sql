-- Flow runtime: whether an incident's error may pass when the run is tried again later (network, timeouts, an open
-- breaker, a store's 429 or 5xx). The host retries those on its own, on a schedule of delays, before leaving them to a
-- person (IncidentAutoRetry).
ALTER TABLE flows.incident ADD COLUMN transient boolean NOT NULL DEFAULT false;
CREATE INDEX incident_transient_open ON flows.incident (created_at) WHERE status = 'Open' AND transient;
