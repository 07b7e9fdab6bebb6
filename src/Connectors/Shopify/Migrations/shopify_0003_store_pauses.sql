-- Stores whose ERP to store pushes are paused: the merchant uninstalled the app (its token is revoked), so the every
-- minute stock push and the reconciliation would fail on every run. `shopify connect` ends the pause.
CREATE TABLE IF NOT EXISTS integration.shopify_store_pauses (
    store      text        PRIMARY KEY,
    paused_at  timestamptz NOT NULL,
    reason     text        NOT NULL
);
