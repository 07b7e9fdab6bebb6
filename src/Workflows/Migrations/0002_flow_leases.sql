-- Runs in flight: a run that has done something outside (an HTTP call, an ERP posting) is stored as Running with a
-- lease held by one host, renewed by its heartbeat, and where to go on from (resume_point). When the lease runs
-- out (the host died), another host takes the run over from there.

ALTER TABLE flows.instance
    ADD COLUMN lease_owner      text,
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN resume_point     jsonb;

CREATE INDEX instance_lease_expired ON flows.instance (lease_expires_at) WHERE status = 'Running';
-- A delivery or schedule firing starts each flow once: a redelivered trigger finds its run by this.
CREATE INDEX instance_by_trigger ON flows.instance (trigger, definition_id) WHERE trigger IS NOT NULL;
