-- integration.outbox: changes a store cares about (stock, price, item, invoice, fulfilment), written by the ERP in the
-- same transaction as the change, for flows to pick up (claimed FOR UPDATE SKIP LOCKED, in id order).
CREATE TABLE integration.outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic         text        NOT NULL,              -- e.g. erp.stock.changed
    company       text        NOT NULL,
    entity_key    text        NOT NULL,              -- e.g. SKU@warehouse
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts      integer     NOT NULL DEFAULT 0,
    processed_at  timestamptz,
    error         text
);
CREATE INDEX outbox_pending ON integration.outbox (id) WHERE status = 'pending';
