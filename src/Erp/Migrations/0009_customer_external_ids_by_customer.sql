-- A customer is read with its store ids (by company and customer). The primary key leads with (company, source), so
-- that read scanned every store id of the company: 0.28 ms per read with 3,000 customers, growing with each one.
CREATE INDEX customer_external_id_by_customer ON erp.customer_external_id (company, customer);
