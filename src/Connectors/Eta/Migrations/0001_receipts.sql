-- ETA e-receipts: the chain head of each POS device and every receipt issued, frozen as sent.
CREATE SCHEMA IF NOT EXISTS eta;

-- One row per POS device; the row lock serializes issuing on a device, so two receipts never share a previousUUID.
CREATE TABLE eta.device (
    serial          text PRIMARY KEY,
    last_uuid       text NOT NULL DEFAULT '',      -- the chain head: previousUUID of the next receipt ('' before the first)
    last_receipt_id bigint,
    receipt_count   bigint NOT NULL DEFAULT 0
);

CREATE TABLE eta.receipt (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device             text NOT NULL REFERENCES eta.device (serial),
    chain_seq          bigint NOT NULL,              -- position on the device's chain, 1 for its first receipt
    company            text NOT NULL,
    document_id        bigint NOT NULL,              -- the ERP sales invoice or sales return
    document_no        text NOT NULL,
    document_type      text NOT NULL CHECK (document_type IN ('Sales Invoice', 'Sales Return')),
    receipt_type       text NOT NULL CHECK (receipt_type IN ('s', 'r')),
    receipt_number     text NOT NULL,
    uuid               text NOT NULL UNIQUE CHECK (uuid ~ '^[0-9a-f]{64}$'),
    previous_uuid      text NOT NULL,
    reference_uuid     text,                         -- returns: the sale's receipt
    reference_old_uuid text,                         -- corrections: the Invalid receipt this one replaces
    corrects_id        bigint REFERENCES eta.receipt (id),
    store              text NOT NULL,                -- the document's source (system/store)
    date_time_issued   timestamptz NOT NULL,
    total_amount       numeric(24, 5) NOT NULL,
    currency           char(3) NOT NULL,
    body               text NOT NULL,                -- the receipt JSON exactly as hashed and sent
    source             jsonb NOT NULL,               -- what it was built from (document, buyer, order), for corrections
    state              text NOT NULL DEFAULT 'Draft' CHECK (state IN ('Draft', 'Submitting', 'Submitted', 'Valid', 'Invalid')),
    submission_id      text,
    long_id            text,
    errors             jsonb,                        -- ETA's errors when Invalid: [{propertyPath, code, message}]
    attempts           integer NOT NULL DEFAULT 0,   -- submissions tried
    next_attempt_at    timestamptz,                  -- after a 429/422 Retry-After or a transient failure
    last_error         text,                         -- the last transient failure (not ETA's verdict)
    late_alerted_at    timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    submitted_at       timestamptz,
    decided_at         timestamptz,
    UNIQUE (device, chain_seq)
);
-- One original receipt per ERP document; corrections (corrects_id set) come on top.
CREATE UNIQUE INDEX receipt_document ON eta.receipt (company, document_id) WHERE corrects_id IS NULL;
-- One correction per Invalid receipt.
CREATE UNIQUE INDEX receipt_correction ON eta.receipt (corrects_id) WHERE corrects_id IS NOT NULL;
CREATE INDEX receipt_pending ON eta.receipt (device, chain_seq) WHERE state IN ('Draft', 'Submitting');
CREATE INDEX receipt_submitted ON eta.receipt (submission_id) WHERE state = 'Submitted';
CREATE INDEX receipt_state ON eta.receipt (state, created_at);
