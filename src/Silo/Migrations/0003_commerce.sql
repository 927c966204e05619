-- Commerce read models: catalog, orders, received payment events, the dev mailbox and the
-- simulated payment provider's event log.

CREATE TABLE catalog_products (
    id              text        PRIMARY KEY,
    slug            text        NOT NULL UNIQUE,
    title           text        NOT NULL,
    summary         text        NOT NULL,
    delivery_kind   text        NOT NULL,
    price_amount    bigint      NOT NULL,
    currency        text        NOT NULL,
    tags            text[]      NOT NULL,
    active          boolean     NOT NULL,
    product         jsonb       NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX catalog_products_tags ON catalog_products USING gin (tags);

CREATE TABLE orders (
    id                 text        PRIMARY KEY,
    account_id         text        NULL,
    email              text        NOT NULL,
    status             text        NOT NULL,
    total_amount       bigint      NOT NULL,
    currency           text        NOT NULL,
    session_id         text        NULL,
    payment_intent_id  text        NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX orders_account ON orders (account_id, created_at DESC);
CREATE INDEX orders_payment_intent ON orders (payment_intent_id) WHERE payment_intent_id IS NOT NULL;
CREATE INDEX orders_session ON orders (session_id) WHERE session_id IS NOT NULL;

CREATE TABLE payment_events (
    event_id     text        PRIMARY KEY,
    kind         text        NOT NULL,
    order_id     text        NULL,
    payload      jsonb       NOT NULL,
    received_at  timestamptz NOT NULL
);

CREATE TABLE mailbox (
    id          uuid        PRIMARY KEY,
    recipient   text        NOT NULL,
    subject     text        NOT NULL,
    text_body   text        NOT NULL,
    html_body   text        NOT NULL,
    kind        text        NOT NULL,
    order_id    text        NULL,
    sent_at     timestamptz NOT NULL
);
CREATE INDEX mailbox_recipient ON mailbox (recipient, sent_at DESC);

CREATE TABLE simulated_payment_events (
    event_id     text        PRIMARY KEY,
    session_id   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    event        jsonb       NOT NULL
);
CREATE INDEX simulated_payment_events_created ON simulated_payment_events (created_at);
