-- Runs waiting for an event (Elsa.Event reached mid-flow) are found by the hash of what they wait for.
ALTER TABLE flows.instance ADD COLUMN bookmark_hashes text[];
CREATE INDEX instance_bookmark_hashes ON flows.instance USING gin (bookmark_hashes) WHERE status = 'Suspended';
