-- The ASP.NET Core Data Protection key ring, shared by every node (session cookies, anti-forgery
-- tokens, payment-page form tokens and, later, encrypted credentials must read on any node).
CREATE TABLE data_protection_keys (
    friendly_name  text        PRIMARY KEY,
    xml            text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
