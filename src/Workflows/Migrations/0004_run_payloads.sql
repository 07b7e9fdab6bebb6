-- What each activity was given and produced is kept in the run's journal; values too large to keep inline are stored
-- here and referenced from the journal as {"$payload": key, "bytes": n}. Incidents keep the failed activity's input.
CREATE TABLE flows.run_payload (
    instance_id uuid  NOT NULL REFERENCES flows.instance (id) ON DELETE CASCADE,
    key         text  NOT NULL,               -- journal index, in/out, name: "7:out:parsedContent"
    json        jsonb NOT NULL,
    PRIMARY KEY (instance_id, key)
);

ALTER TABLE flows.incident ADD COLUMN input jsonb;
