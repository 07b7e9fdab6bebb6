-- The prices pushed to each WooCommerce store, with when the ERP prices they came from were read. Runs of the price
-- flow may overlap (a price change, a promotion, the morning run): a run that read earlier never overwrites what a
-- run that read later has pushed.
CREATE TABLE IF NOT EXISTS integration.woocommerce_price_pushes (
    store      text        NOT NULL,
    sku        text        NOT NULL,
    read_at    timestamptz NOT NULL,
    pushed_at  timestamptz NOT NULL,
    PRIMARY KEY (store, sku)
);
