-- ERP core, part 2 (first step): item groups, items, warehouses, stock ledger with moving-average and FIFO valuation,
-- bins. Stock moves post their GL through the ledger (erp.gl_entry) in the same transaction.

ALTER TABLE erp.company ADD COLUMN allow_negative_stock boolean NOT NULL DEFAULT false;
ALTER TABLE erp.company ADD COLUMN stock_adjustment_account text;
ALTER TABLE erp.company ADD COLUMN stock_received_not_billed_account text;

CREATE TABLE erp.item_group (
    company          text NOT NULL REFERENCES erp.company (id),
    id               text NOT NULL,
    name             text NOT NULL,
    parent           text,
    is_group         boolean NOT NULL DEFAULT false,
    income_account   text,
    cogs_account     text,
    stock_account    text,
    cost_center      text,
    PRIMARY KEY (company, id),
    FOREIGN KEY (company, parent) REFERENCES erp.item_group (company, id),
    FOREIGN KEY (company, income_account) REFERENCES erp.account (company, id),
    FOREIGN KEY (company, cogs_account) REFERENCES erp.account (company, id),
    FOREIGN KEY (company, stock_account) REFERENCES erp.account (company, id),
    FOREIGN KEY (company, cost_center) REFERENCES erp.cost_center (company, id)
);

CREATE TABLE erp.item (
    company           text NOT NULL REFERENCES erp.company (id),
    sku               text NOT NULL,
    name              text NOT NULL,
    item_group        text NOT NULL,
    uom               text NOT NULL DEFAULT 'Nos',
    description       text,
    status            text NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'On hold')),
    is_stock_item     boolean NOT NULL DEFAULT true,
    valuation_method  text NOT NULL DEFAULT 'Moving Average' CHECK (valuation_method IN ('Moving Average', 'FIFO')),
    is_template       boolean NOT NULL DEFAULT false,
    template_sku      text,
    attributes        jsonb NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company, sku),
    FOREIGN KEY (company, item_group) REFERENCES erp.item_group (company, id),
    FOREIGN KEY (company, template_sku) REFERENCES erp.item (company, sku)
);

CREATE TABLE erp.item_barcode (
    company  text NOT NULL,
    barcode  text NOT NULL,
    sku      text NOT NULL,
    PRIMARY KEY (company, barcode),
    FOREIGN KEY (company, sku) REFERENCES erp.item (company, sku)
);

CREATE TABLE erp.warehouse (
    company        text NOT NULL REFERENCES erp.company (id),
    id             text NOT NULL,
    name           text NOT NULL,
    parent         text,
    is_group       boolean NOT NULL DEFAULT false,
    stock_account  text,
    PRIMARY KEY (company, id),
    FOREIGN KEY (company, parent) REFERENCES erp.warehouse (company, id),
    FOREIGN KEY (company, stock_account) REFERENCES erp.account (company, id)
);

-- One row per item movement in a warehouse, in posting order (posting_date, id). Valuation columns are the state
-- after the row; a back-dated movement re-values the later rows of its item and warehouse.
CREATE TABLE erp.stock_ledger_entry (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company          text NOT NULL,
    sku              text NOT NULL,
    warehouse        text NOT NULL,
    posting_date     date NOT NULL,
    voucher_id       bigint NOT NULL REFERENCES erp.voucher (id),
    voucher_type     text NOT NULL,
    voucher_no       text NOT NULL,
    line_no          integer NOT NULL,
    qty_change       numeric(20, 6) NOT NULL,
    incoming_rate    numeric(20, 6) NOT NULL DEFAULT 0,   -- rate of what came in (receipts)
    qty_after        numeric(20, 6) NOT NULL,
    valuation_rate   numeric(20, 9) NOT NULL,
    stock_value      numeric(20, 4) NOT NULL,             -- value of the warehouse's stock of the item after this row
    value_change     numeric(20, 4) NOT NULL,             -- posted to the stock account
    counter_account  text NOT NULL,                        -- where the other side of value_change was posted
    counter_cost_center text,
    fifo_queue       jsonb,                                -- FIFO lots after this row: [[qty, rate], ...]
    value_from_line  integer,                              -- the row's value is fixed: taken from this issuing line of the
                                                           -- same voucher (transfer), or 0 (a return at its original cost)
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company, sku) REFERENCES erp.item (company, sku),
    FOREIGN KEY (company, warehouse) REFERENCES erp.warehouse (company, id)
);
CREATE INDEX stock_ledger_item_warehouse ON erp.stock_ledger_entry (company, sku, warehouse, posting_date, id);
CREATE INDEX stock_ledger_voucher ON erp.stock_ledger_entry (voucher_id);

-- Current quantities and value per item x warehouse; locked while stock moves, so concurrent moves of one item in
-- one warehouse are applied one after the other.
CREATE TABLE erp.bin (
    company         text NOT NULL,
    sku             text NOT NULL,
    warehouse       text NOT NULL,
    actual_qty      numeric(20, 6) NOT NULL DEFAULT 0,
    reserved_qty    numeric(20, 6) NOT NULL DEFAULT 0,
    ordered_qty     numeric(20, 6) NOT NULL DEFAULT 0,
    valuation_rate  numeric(20, 9) NOT NULL DEFAULT 0,
    stock_value     numeric(20, 4) NOT NULL DEFAULT 0,
    PRIMARY KEY (company, sku, warehouse),
    FOREIGN KEY (company, sku) REFERENCES erp.item (company, sku),
    FOREIGN KEY (company, warehouse) REFERENCES erp.warehouse (company, id)
);
