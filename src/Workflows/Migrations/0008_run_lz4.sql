-- A run's variables and journal, and its large journal values, are written with every save of the run: kB to tens
-- of kB of JSON each time. lz4 compresses them several times faster than the default pglz (as for the inbox).
ALTER TABLE flows.instance
    ALTER COLUMN variables SET COMPRESSION lz4,
    ALTER COLUMN journal SET COMPRESSION lz4,
    ALTER COLUMN input SET COMPRESSION lz4,
    ALTER COLUMN output SET COMPRESSION lz4;
ALTER TABLE flows.run_payload ALTER COLUMN json SET COMPRESSION lz4;
