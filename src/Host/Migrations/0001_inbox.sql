-- integration.inbox: every verified storefront webhook delivery, stored once before it is acknowledged.
CREATE TABLE integration.inbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source        text        NOT NULL,               -- shopify | woocommerce | ...
    store         text        NOT NULL,               -- shop domain or configured store name
    topic         text        NOT NULL,
    delivery_key  text        NOT NULL,               -- delivery-level dedupe key chosen by the source
    webhook_id    text,
    event_id      text,
    triggered_at  timestamptz,
    api_version   text,
    received_at   timestamptz NOT NULL DEFAULT now(),
    headers       jsonb       NOT NULL,
    body          bytea       NOT NULL,               -- raw bytes, exactly as signed
    status        text        NOT NULL DEFAULT 'received'
                  CHECK (status IN ('received', 'poisoned', 'processing', 'done', 'failed', 'ignored')),
    error         text,
    attempts      integer     NOT NULL DEFAULT 0,
    processed_at  timestamptz,
    CONSTRAINT inbox_delivery_unique UNIQUE (source, store, topic, delivery_key)
);

-- The dispatcher claims work in arrival order (status = 'received' ORDER BY id); operators list by status, newest
-- first. One index serves both; every extra index costs each acknowledgement.
CREATE INDEX inbox_by_status ON integration.inbox (status, id);
