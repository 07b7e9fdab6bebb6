-- How far a repeated sync got (e.g. stock pushed to a store up to a transaction, orders reconciled up to a time):
-- one value per name, read at the start of a run and written when the run has done its work.
CREATE TABLE integration.watermark (
    name        text PRIMARY KEY,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
