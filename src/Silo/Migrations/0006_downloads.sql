-- Downloads: every request of GET /d/{token} that reached its delivery, and secrets the app makes
-- for itself (the download-link signing key), kept encrypted with the Data Protection key ring.

CREATE TABLE download_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     text        NOT NULL,
    link_id         integer     NOT NULL,
    at              timestamptz NOT NULL,
    client_address  text        NOT NULL,
    user_agent      text        NULL,
    range_start     bigint      NOT NULL,
    outcome         text        NOT NULL
);
CREATE INDEX download_log_delivery ON download_log (delivery_id, at);

CREATE TABLE protected_secrets (
    name             text        PRIMARY KEY,
    protected_value  text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
