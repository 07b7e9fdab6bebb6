-- Prices and promotions, reorder levels with purchase requests, item images.

CREATE TABLE erp.price_list (
    company   text NOT NULL REFERENCES erp.company (id),
    id        text NOT NULL,
    name      text NOT NULL,
    currency  char(3) NOT NULL,
    PRIMARY KEY (company, id)
);

CREATE TABLE erp.item_price (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company     text NOT NULL,
    price_list  text NOT NULL,
    sku         text NOT NULL,
    rate        numeric(20, 4) NOT NULL CHECK (rate >= 0),
    valid_from  date,
    valid_to    date,
    FOREIGN KEY (company, price_list) REFERENCES erp.price_list (company, id),
    FOREIGN KEY (company, sku) REFERENCES erp.item (company, sku)
);
CREATE UNIQUE INDEX item_price_unique ON erp.item_price (company, price_list, sku, coalesce(valid_from, '-infinity'::date));

CREATE TABLE erp.promotion (
    company      text NOT NULL REFERENCES erp.company (id),
    id           text NOT NULL,
    name         text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('Percentage', 'Amount', 'BuyXGetY')),
    value        numeric(20, 4) NOT NULL DEFAULT 0,
    skus         text[] NOT NULL DEFAULT '{}',
    item_groups  text[] NOT NULL DEFAULT '{}',
    valid_from   date NOT NULL,
    valid_to     date NOT NULL,
    min_qty      numeric(20, 6) NOT NULL DEFAULT 0,
    buy_qty      numeric(20, 6) NOT NULL DEFAULT 0,
    free_qty     numeric(20, 6) NOT NULL DEFAULT 0,
    channel      text,              -- null: every channel; else a source system or store
    PRIMARY KEY (company, id),
    CHECK (valid_to >= valid_from)
);

CREATE TABLE erp.reorder_rule (
    company    text NOT NULL,
    sku        text NOT NULL,
    warehouse  text NOT NULL,
    level      numeric(20, 6) NOT NULL,
    qty        numeric(20, 6) NOT NULL CHECK (qty > 0),
    PRIMARY KEY (company, sku, warehouse),
    FOREIGN KEY (company, sku) REFERENCES erp.item (company, sku),
    FOREIGN KEY (company, warehouse) REFERENCES erp.warehouse (company, id)
);

CREATE TABLE erp.purchase_request (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company     text NOT NULL,
    sku         text NOT NULL,
    warehouse   text NOT NULL,
    qty         numeric(20, 6) NOT NULL,
    status      text NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Fulfilled', 'Closed')),
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz
);
-- At most one open request per item and warehouse: a reorder is raised once.
CREATE UNIQUE INDEX purchase_request_open ON erp.purchase_request (company, sku, warehouse) WHERE status = 'Open';

CREATE TABLE erp.item_image (
    company      text NOT NULL,
    sku          text NOT NULL,            -- the item, or the variant the image belongs to
    position     integer NOT NULL,
    url          text NOT NULL,
    checksum     text NOT NULL,            -- sha256 of the image bytes, so unchanged images are not uploaded again
    alt_text     text,
    PRIMARY KEY (company, sku, position),
    UNIQUE (company, sku, checksum),
    FOREIGN KEY (company, sku) REFERENCES erp.item (company, sku)
);
