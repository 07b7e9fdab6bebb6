-- Key map: the id a store gives a record <-> the ERP's id, per system, entity and store; looked up both ways.
CREATE TABLE IF NOT EXISTS integration.key_map (
    system      text        NOT NULL,
    entity      text        NOT NULL,
    store       text        NOT NULL,
    external_id text        NOT NULL,
    erp_id      text        NOT NULL,
    linked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (system, entity, store, external_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS key_map_erp ON integration.key_map (system, entity, store, erp_id);

-- Identifying values of ERP records (normalised email, phone...): find a record, or a duplicate, before ids are linked.
CREATE TABLE IF NOT EXISTS integration.key_match (
    entity     text NOT NULL,
    match_name text NOT NULL,
    value      text NOT NULL,
    erp_id     text NOT NULL,
    PRIMARY KEY (entity, match_name, value, erp_id)
);

-- Echo guard: what the host last wrote to each field of each record, to recognise that system's webhook about it.
CREATE TABLE IF NOT EXISTS integration.echo_fingerprint (
    system     text        NOT NULL,
    entity     text        NOT NULL,
    record_id  text        NOT NULL,
    field      text        NOT NULL,
    value_hash text        NOT NULL,
    written_at timestamptz NOT NULL,
    PRIMARY KEY (system, entity, record_id, field)
);
CREATE INDEX IF NOT EXISTS echo_fingerprint_written_at ON integration.echo_fingerprint (written_at);
