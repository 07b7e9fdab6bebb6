-- A document's number from the id it gets: {prefix}-{year}-{id, at least 6 digits} (SINV-2026-000123). lpad cuts a
-- longer text to the length asked, so from the millionth document on every 10 ids shared one number (1000000 to
-- 1000009 all became 100000) and inserts failed on the unique (company, number): ids are never cut.
CREATE FUNCTION erp.document_number(prefix text, on_date date, id bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN prefix || '-' || extract(year FROM on_date) || '-' || CASE WHEN id < 1000000 THEN lpad(id::text, 6, '0') ELSE id::text END;

-- A customer's number when none is given: CUST- and at least 6 digits.
CREATE FUNCTION erp.customer_number(n bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'CUST-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END;
