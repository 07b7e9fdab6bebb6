-- The ASP.NET Core Data Protection key ring, shared by every host on this database, so a designer session cookie
-- issued by one host is read by any other (no sticky sessions). Rows are key XML as the framework writes it; the key
-- manager adds a key before the current one expires (90 days) and never edits one. Whoever reads this table can forge
-- sessions: treat it like the secrets (backups included).
CREATE TABLE integration.data_protection_keys (
    id             bigserial PRIMARY KEY,
    friendly_name  text NOT NULL UNIQUE,
    xml            text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
