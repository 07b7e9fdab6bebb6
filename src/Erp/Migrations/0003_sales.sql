-- ERP core, part 2: customers and the sales documents the stores produce. Each document carries its source
-- (system, store, external id) and is unique on it, so creating the same source document twice returns the first.

CREATE TABLE erp.customer (
    company          text NOT NULL REFERENCES erp.company (id),
    id               text NOT NULL,
    name             text NOT NULL,
    email            text,
    phone            text,
    customer_type    text NOT NULL DEFAULT 'Person' CHECK (customer_type IN ('Person', 'Business')),
    tax_id           text,
    credit_limit     numeric(20, 4) NOT NULL DEFAULT 0,      -- 0: no limit
    customer_group   text,
    billing_address  jsonb,
    shipping_address jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company, id)
);
CREATE INDEX customer_email ON erp.customer (company, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX customer_phone ON erp.customer (company, phone) WHERE phone IS NOT NULL;

CREATE TABLE erp.customer_external_id (
    company      text NOT NULL,
    source       text NOT NULL,   -- shopify | woocommerce | ...
    store        text NOT NULL,
    external_id  text NOT NULL,
    customer     text NOT NULL,
    PRIMARY KEY (company, source, store, external_id),
    FOREIGN KEY (company, customer) REFERENCES erp.customer (company, id)
);

CREATE TABLE erp.sales_document (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company          text NOT NULL REFERENCES erp.company (id),
    doc_type         text NOT NULL CHECK (doc_type IN ('Sales Order', 'Sales Invoice', 'Sales Return', 'Payment', 'Delivery')),
    doc_no           text NOT NULL,
    customer         text NOT NULL,
    posting_date     date NOT NULL,
    status           text NOT NULL,
    currency         char(3) NOT NULL,
    exchange_rate    numeric(20, 9) NOT NULL DEFAULT 1,
    taxes_included   boolean NOT NULL DEFAULT false,
    net_total        numeric(20, 4) NOT NULL DEFAULT 0,
    tax_total        numeric(20, 4) NOT NULL DEFAULT 0,
    grand_total      numeric(20, 4) NOT NULL DEFAULT 0,
    outstanding      numeric(20, 4) NOT NULL DEFAULT 0,
    against_id       bigint REFERENCES erp.sales_document (id),
    voucher_id       bigint REFERENCES erp.voucher (id),
    warehouse        text,
    cost_center      text,
    update_stock     boolean NOT NULL DEFAULT false,
    payment_account  text,
    carrier          text,
    tracking_no      text,
    source_system    text,
    source_store     text,
    source_id        text,
    remarks          text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company, doc_no),
    UNIQUE (company, doc_type, source_system, source_store, source_id),
    FOREIGN KEY (company, customer) REFERENCES erp.customer (company, id)
);
CREATE INDEX sales_document_against ON erp.sales_document (against_id);
CREATE INDEX sales_document_customer ON erp.sales_document (company, customer, doc_type);

CREATE TABLE erp.sales_document_line (
    document_id      bigint NOT NULL REFERENCES erp.sales_document (id),
    line_no          integer NOT NULL,
    sku              text,                 -- null for a service or charge line (shipping)
    description      text,
    qty              numeric(20, 6) NOT NULL,
    rate             numeric(20, 6) NOT NULL,
    discount_amount  numeric(20, 4) NOT NULL DEFAULT 0,
    net_amount       numeric(20, 4) NOT NULL,
    tax_rate         numeric(7, 4) NOT NULL DEFAULT 0,
    tax_amount       numeric(20, 4) NOT NULL DEFAULT 0,
    income_account   text NOT NULL,
    cost_center      text,
    warehouse        text,
    cogs_amount      numeric(20, 4) NOT NULL DEFAULT 0,   -- stock value that left with this line
    returned_qty     numeric(20, 6) NOT NULL DEFAULT 0,
    source_line_id   text,
    PRIMARY KEY (document_id, line_no)
);
