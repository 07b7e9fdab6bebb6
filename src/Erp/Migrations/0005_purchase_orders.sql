-- Purchase orders: what is ordered from suppliers counts as `ordered` in the bins until it is received.
CREATE TABLE erp.purchase_order (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company              text NOT NULL REFERENCES erp.company (id),
    order_no             text NOT NULL,
    supplier             text NOT NULL,
    order_date           date NOT NULL,
    status               text NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Received', 'Cancelled')),
    purchase_request_id  bigint REFERENCES erp.purchase_request (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company, order_no)
);

CREATE TABLE erp.purchase_order_line (
    order_id      bigint NOT NULL REFERENCES erp.purchase_order (id),
    line_no       integer NOT NULL,
    sku           text NOT NULL,
    warehouse     text NOT NULL,
    qty           numeric(20, 6) NOT NULL CHECK (qty > 0),
    rate          numeric(20, 6) NOT NULL CHECK (rate >= 0),
    received_qty  numeric(20, 6) NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line_no)
);
