-- Drafts: a flow being edited in a designer, saved (even when it does not validate yet) apart from what is in service.
CREATE TABLE flows.draft (
    definition_id text        PRIMARY KEY,
    json          jsonb       NOT NULL,
    problems      jsonb       NOT NULL DEFAULT '[]',
    saved_at      timestamptz NOT NULL DEFAULT now()
);
