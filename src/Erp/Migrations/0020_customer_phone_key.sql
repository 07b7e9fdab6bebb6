-- A phone number as duplicates are found by: its last 9 digits, so +20 100 123 4567, 01001234567 and 1001234567 meet
-- (the key map's match values are normalised the same way); fewer than 6 digits is no number.
CREATE FUNCTION erp.phone_key(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN length(regexp_replace(phone, '[^0-9]', '', 'g')) < 6 THEN NULL
            ELSE right(regexp_replace(phone, '[^0-9]', '', 'g'), 9) END;

DROP INDEX erp.customer_phone;
CREATE INDEX customer_phone_key ON erp.customer (company, erp.phone_key(phone)) WHERE phone IS NOT NULL;
