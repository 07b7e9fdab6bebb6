-- WooCommerce stores this host is connected to: what `woocommerce connect` learnt from system_status.
CREATE TABLE IF NOT EXISTS integration.woocommerce_stores (
    store               text        PRIMARY KEY,
    site_url            text        NOT NULL,
    currency            text        NOT NULL,
    woocommerce_version text,
    wordpress_version   text,
    decimals            integer,
    connected_at        timestamptz NOT NULL
);
