-- A run's input, output, variables and journal, and its large journal values, are written whole with every commit of
-- the run and read back whole (a resume, the runs API); nothing queries inside them. As jsonb, PostgreSQL built each
-- value again on every write (about 370 µs for 10 kB of JSON on a 2-core machine, against 100 µs for json, which
-- only checks the text and keeps it as written) and printed it again on every read. json's operators (->, ->>,
-- json_array_elements...) still serve anyone querying them by hand.
ALTER TABLE flows.instance
    ALTER COLUMN input TYPE json USING input::json,
    ALTER COLUMN output TYPE json USING output::json,
    ALTER COLUMN variables TYPE json USING variables::json,
    ALTER COLUMN journal TYPE json USING journal::json;
ALTER TABLE flows.instance
    ALTER COLUMN input SET COMPRESSION lz4,
    ALTER COLUMN output SET COMPRESSION lz4,
    ALTER COLUMN variables SET COMPRESSION lz4,
    ALTER COLUMN journal SET COMPRESSION lz4;
ALTER TABLE flows.run_payload ALTER COLUMN json TYPE json USING json::json;
ALTER TABLE flows.run_payload ALTER COLUMN json SET COMPRESSION lz4;
