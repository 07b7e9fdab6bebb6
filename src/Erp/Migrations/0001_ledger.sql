-- ERP core, part 1: companies, chart of accounts, cost centers, fiscal years, vouchers, GL, budgets.
-- Money is numeric; amounts in company currency are rounded to the company's precision before they are stored.

CREATE TABLE erp.company (
    id                  text PRIMARY KEY,
    name                text NOT NULL,
    currency            char(3) NOT NULL,
    currency_precision  smallint NOT NULL DEFAULT 2 CHECK (currency_precision BETWEEN 0 AND 4),
    round_off_account   text,
    default_cost_center text,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE erp.account (
    company       text NOT NULL REFERENCES erp.company (id),
    id            text NOT NULL,
    name          text NOT NULL,
    parent        text,
    is_group      boolean NOT NULL DEFAULT false,
    root_type     text NOT NULL CHECK (root_type IN ('Asset', 'Liability', 'Equity', 'Income', 'Expense')),
    account_type  text CHECK (account_type IN ('Receivable', 'Payable', 'Bank', 'Cash', 'Stock', 'Cost of Goods Sold',
                                              'Tax', 'Income Account', 'Expense Account', 'Round Off', 'Temporary',
                                              'Stock Adjustment', 'Fixed Asset', 'Equity')),
    disabled      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (company, id),
    FOREIGN KEY (company, parent) REFERENCES erp.account (company, id)
);

CREATE TABLE erp.cost_center (
    company   text NOT NULL REFERENCES erp.company (id),
    id        text NOT NULL,
    name      text NOT NULL,
    parent    text,
    is_group  boolean NOT NULL DEFAULT false,
    disabled  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (company, id),
    FOREIGN KEY (company, parent) REFERENCES erp.cost_center (company, id)
);

CREATE TABLE erp.fiscal_year (
    company     text NOT NULL REFERENCES erp.company (id),
    id          text NOT NULL,
    start_date  date NOT NULL,
    end_date    date NOT NULL CHECK (end_date > start_date),
    closed      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (company, id)
);

-- Monthly periods; a closed period refuses postings dated inside it.
CREATE TABLE erp.accounting_period (
    company      text NOT NULL,
    fiscal_year  text NOT NULL,
    start_date   date NOT NULL,
    end_date     date NOT NULL,
    closed       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (company, start_date),
    FOREIGN KEY (company, fiscal_year) REFERENCES erp.fiscal_year (company, id)
);

CREATE TABLE erp.voucher (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company          text NOT NULL REFERENCES erp.company (id),
    voucher_type     text NOT NULL,
    voucher_no       text NOT NULL,
    posting_date     date NOT NULL,
    status           text NOT NULL CHECK (status IN ('draft', 'posted', 'cancelled')),
    remarks          text,
    draft            jsonb,              -- the lines of a draft journal entry, as submitted
    reverses         bigint REFERENCES erp.voucher (id),
    reversed_by      bigint REFERENCES erp.voucher (id),
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    posted_at        timestamptz,
    UNIQUE (company, voucher_no),
    UNIQUE (company, voucher_type, idempotency_key)
);

CREATE TABLE erp.gl_entry (
    id                               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company                          text NOT NULL,
    voucher_id                       bigint NOT NULL REFERENCES erp.voucher (id),
    voucher_type                     text NOT NULL,
    voucher_no                       text NOT NULL,
    line_no                          integer NOT NULL,
    posting_date                     date NOT NULL,
    account                          text NOT NULL,
    party_type                       text,
    party                            text,
    cost_center                      text,
    debit                            numeric(20, 4) NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit                           numeric(20, 4) NOT NULL DEFAULT 0 CHECK (credit >= 0),
    transaction_currency             char(3) NOT NULL,
    exchange_rate                    numeric(20, 9) NOT NULL DEFAULT 1,
    debit_in_transaction_currency    numeric(20, 4) NOT NULL DEFAULT 0,
    credit_in_transaction_currency   numeric(20, 4) NOT NULL DEFAULT 0,
    remarks                          text,
    is_reversal                      boolean NOT NULL DEFAULT false,
    created_at                       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company, account) REFERENCES erp.account (company, id),
    FOREIGN KEY (company, cost_center) REFERENCES erp.cost_center (company, id)
);
CREATE INDEX gl_entry_account_date ON erp.gl_entry (company, account, posting_date);
CREATE INDEX gl_entry_voucher ON erp.gl_entry (voucher_id);
CREATE INDEX gl_entry_party ON erp.gl_entry (company, party_type, party) WHERE party IS NOT NULL;
CREATE INDEX gl_entry_cost_center ON erp.gl_entry (company, cost_center, posting_date) WHERE cost_center IS NOT NULL;

-- Posted GL entries never change: corrections are reversing vouchers.
CREATE FUNCTION erp.refuse_gl_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'GL entries are immutable: cancel the voucher to reverse it'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER gl_entry_immutable BEFORE UPDATE OR DELETE ON erp.gl_entry
    FOR EACH ROW EXECUTE FUNCTION erp.refuse_gl_change();
CREATE TRIGGER gl_entry_no_truncate BEFORE TRUNCATE ON erp.gl_entry
    FOR EACH STATEMENT EXECUTE FUNCTION erp.refuse_gl_change();

-- Running balances per account x cost center x month, maintained in the posting transaction. Budget checks and
-- reports read these, so their cost does not grow with the GL.
CREATE TABLE erp.gl_balance (
    company      text NOT NULL,
    account      text NOT NULL,
    cost_center  text NOT NULL DEFAULT '',
    month        date NOT NULL,
    debit        numeric(20, 4) NOT NULL DEFAULT 0,
    credit       numeric(20, 4) NOT NULL DEFAULT 0,
    PRIMARY KEY (company, account, cost_center, month)
);
CREATE INDEX gl_balance_cost_center ON erp.gl_balance (company, cost_center, account, month);

CREATE TABLE erp.budget (
    id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company                    text NOT NULL,
    fiscal_year                text NOT NULL,
    cost_center                text NOT NULL,
    account                    text NOT NULL,
    annual_amount              numeric(20, 4) NOT NULL CHECK (annual_amount >= 0),
    monthly_distribution       numeric(7, 4)[],     -- 12 percentages summing to 100, from the fiscal year's first month
    annual_action              text NOT NULL DEFAULT 'Stop' CHECK (annual_action IN ('Stop', 'Warn', 'Ignore')),
    monthly_action             text NOT NULL DEFAULT 'Warn' CHECK (monthly_action IN ('Stop', 'Warn', 'Ignore')),
    warn_threshold_percent     numeric(6, 2) NOT NULL DEFAULT 80 CHECK (warn_threshold_percent BETWEEN 0 AND 100),
    UNIQUE (company, fiscal_year, cost_center, account),
    FOREIGN KEY (company, fiscal_year) REFERENCES erp.fiscal_year (company, id),
    FOREIGN KEY (company, cost_center) REFERENCES erp.cost_center (company, id),
    FOREIGN KEY (company, account) REFERENCES erp.account (company, id)
);

-- Amounts committed by submitted purchase requests and orders, counted by the budget check before they post.
CREATE TABLE erp.budget_commitment (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id     bigint NOT NULL REFERENCES erp.budget (id),
    month         date NOT NULL,
    amount        numeric(20, 4) NOT NULL,
    document_type text NOT NULL,
    document_no   text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (budget_id, document_type, document_no)
);
