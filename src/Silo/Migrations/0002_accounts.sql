-- Accounts read model (written by AccountGrain in its own commit) and the staff audit log.

CREATE TABLE accounts (
    id            text        PRIMARY KEY,
    email         text        NOT NULL UNIQUE,
    display_name  text        NOT NULL,
    roles         text[]      NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE INDEX accounts_created_at ON accounts (created_at DESC);

CREATE TABLE audit_log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor_id  text        NOT NULL,
    action    text        NOT NULL,
    target    text        NOT NULL,
    details   jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_target ON audit_log (target, at DESC);
