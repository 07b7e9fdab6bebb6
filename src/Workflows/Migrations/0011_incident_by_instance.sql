-- Flow runtime: a run's incidents by the run, so inbox retention can keep the delivery of a run that still has an open
-- incident (its retry reads the delivery again) without scanning every incident.
CREATE INDEX incident_by_instance ON flows.incident (instance_id) WHERE status = 'Open';
