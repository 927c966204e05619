-- Deliveries: one row per delivery for admin queues, and the technician queue.

CREATE TABLE deliveries (
    id          text        PRIMARY KEY,
    order_id    text        NOT NULL,
    status      text        NOT NULL,
    kind        text        NOT NULL,
    product_id  text        NOT NULL,
    health      text        NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX deliveries_order ON deliveries (order_id);
CREATE INDEX deliveries_unfinished ON deliveries (status, updated_at) WHERE status NOT IN ('Ready', 'Downloaded', 'Completed', 'Revoked');

CREATE TABLE technician_assignments (
    delivery_id  text        PRIMARY KEY,
    order_id     text        NOT NULL,
    reason       text        NOT NULL,
    assigned_at  timestamptz NOT NULL
);
