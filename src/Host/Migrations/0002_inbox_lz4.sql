-- Bodies are JSON of a few kB to a few MB; lz4 compresses them several times faster than the default pglz,
-- which keeps the webhook acknowledgement cheap under load.
ALTER TABLE integration.inbox
    ALTER COLUMN body SET COMPRESSION lz4,
    ALTER COLUMN headers SET COMPRESSION lz4;
