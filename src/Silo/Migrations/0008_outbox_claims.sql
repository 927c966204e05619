-- Nodes now write their own outbox messages already leased (claimed) and dispatch them from memory.
-- The poll looks only for unheld due messages and for leases that ran out, each through its own
-- small index, so the many rows claimed by live nodes are never scanned.
DROP INDEX outbox_due;
CREATE INDEX outbox_unheld_due ON outbox (next_attempt_at) WHERE status = 'pending' AND lease_until IS NULL;
CREATE INDEX outbox_lease_expiry ON outbox (lease_until) WHERE status = 'pending';
