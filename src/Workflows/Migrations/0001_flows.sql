-- flows: published flow definitions (every version kept), run instances with their state, and incidents.

CREATE TABLE flows.definition (
    definition_id  text        NOT NULL,
    version        integer     NOT NULL,
    name           text,
    json           jsonb       NOT NULL,
    content_hash   text        NOT NULL,          -- sha256 of the file, to publish a new version only on change
    source_file    text,
    published_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (definition_id, version)
);

CREATE TABLE flows.instance (
    id               uuid        PRIMARY KEY,
    definition_id    text        NOT NULL,
    version          integer     NOT NULL,
    status           text        NOT NULL CHECK (status IN ('Running', 'Finished', 'Suspended', 'Faulted', 'Cancelled')),
    correlation_id   text,
    trigger          text,                          -- e.g. inbox:123
    input            jsonb,
    output           jsonb,
    variables        jsonb,
    bookmarks        jsonb,
    journal          jsonb,                         -- at most the run's journal limit of entries
    incident_count   integer     NOT NULL DEFAULT 0,
    next_resume_at   timestamptz,                   -- earliest timed bookmark of a suspended run
    console          jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    FOREIGN KEY (definition_id, version) REFERENCES flows.definition (definition_id, version)
);
CREATE INDEX instance_by_definition ON flows.instance (definition_id, created_at DESC);
CREATE INDEX instance_by_status ON flows.instance (status, created_at DESC);
CREATE INDEX instance_by_correlation ON flows.instance (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX instance_due ON flows.instance (next_resume_at) WHERE status = 'Suspended' AND next_resume_at IS NOT NULL;

CREATE TABLE flows.incident (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id     uuid        NOT NULL REFERENCES flows.instance (id),
    activity_id     text        NOT NULL,
    activity_type   text        NOT NULL,
    message         text        NOT NULL,
    exception_type  text,
    attempt         integer     NOT NULL DEFAULT 1,
    status          text        NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Retried', 'Cancelled')),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_open ON flows.incident (created_at DESC) WHERE status = 'Open';
