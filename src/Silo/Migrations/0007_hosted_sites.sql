-- Sites Courier hosts itself (the built-in site host): what the sign-in at /sites/{site_id} checks.
-- The credentials are Data Protection ciphertext, never plain text; credentials_version changes on
-- every rotation and ends the sessions signed in with the old password.
CREATE TABLE hosted_sites (
    site_id              text        PRIMARY KEY,
    delivery_id          text        NOT NULL UNIQUE,
    order_id             text        NOT NULL,
    product_id           text        NOT NULL,
    sealed_credentials   text,
    credentials_version  integer     NOT NULL,
    revoked_at           timestamptz
);
