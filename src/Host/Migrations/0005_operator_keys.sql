-- Operator API keys (`keys create`): only a SHA-256 hash of the secret is kept. A key reads `ih_<id>_<secret>`; the
-- id finds the row, the hash is compared in constant time. Scopes: read < operate < admin.
CREATE TABLE integration.operator_keys (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    scope         text NOT NULL CHECK (scope IN ('read', 'operate', 'admin')),
    hash          bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NULL,
    revoked_at    timestamptz NULL,
    last_used_at  timestamptz NULL
);
