-- Shopify shops this host is connected to: what `shopify connect` learnt (id, name, currency, locations).
CREATE TABLE IF NOT EXISTS integration.shopify_shops (
    store          text        PRIMARY KEY,
    shop_domain    text        NOT NULL,
    shop_id        bigint      NOT NULL,
    name           text        NOT NULL,
    currency       text        NOT NULL,
    locations      jsonb       NOT NULL,
    connected_at   timestamptz NOT NULL
);
