-- What a delivery says about its record apart from its version (SHA-256 of the body without updated_at): a delivery
-- that brings the same record as the one before it, which a run handled, is not run again by flows that read the
-- record again (onlyNewerVersions; InboxDispatcher). Shopify's orders/updated after the host writes the order's
-- eta.receipt metafield is such a delivery.
ALTER TABLE integration.inbox ADD COLUMN subject_fingerprint bytea;
