-- The grain runtime: state, journal, reminders, outbox.

CREATE TABLE grain_state (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    state       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key)
);

CREATE TABLE grain_journal (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    version     bigint      NOT NULL,
    seq         int         NOT NULL,
    at          timestamptz NOT NULL,
    kind        text        NOT NULL,
    data        jsonb       NOT NULL,
    UNIQUE (grain_type, grain_key, version, seq)
);

CREATE TABLE reminders (
    grain_type   text        NOT NULL,
    grain_key    text        NOT NULL,
    name         text        NOT NULL,
    due_at       timestamptz NOT NULL,
    period_ms    bigint      NULL CHECK (period_ms IS NULL OR period_ms >= 1000),
    generation   uuid        NOT NULL,
    attempts     int         NOT NULL DEFAULT 0,
    last_error   text        NULL,
    lease_owner  text        NULL,
    lease_token  uuid        NULL,
    lease_until  timestamptz NULL,
    PRIMARY KEY (grain_type, grain_key, name)
);
CREATE INDEX reminders_due ON reminders (due_at);

CREATE TABLE outbox (
    id               uuid        PRIMARY KEY,
    message_type     text        NOT NULL,
    payload          jsonb       NOT NULL,
    grain_type       text        NOT NULL,
    grain_key        text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts         int         NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text        NULL,
    lease_owner      text        NULL,
    lease_until      timestamptz NULL,
    done_at          timestamptz NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';

-- Writes a grain's state if its version is still the expected one; raises CR409 otherwise, which
-- rolls back the whole commit batch (the caller reloads and replays the call).
CREATE FUNCTION courier_save_state(p_type text, p_key text, p_expected bigint, p_state jsonb, p_at timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    saved bigint;
BEGIN
    IF p_expected = 0 THEN
        INSERT INTO grain_state (grain_type, grain_key, version, state, updated_at)
        VALUES (p_type, p_key, 1, p_state, p_at)
        ON CONFLICT DO NOTHING
        RETURNING version INTO saved;
    ELSE
        UPDATE grain_state SET version = version + 1, state = p_state, updated_at = p_at
        WHERE grain_type = p_type AND grain_key = p_key AND version = p_expected
        RETURNING version INTO saved;
    END IF;
    IF saved IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'CR409', MESSAGE = format('version conflict on %s/%s: expected version %s', p_type, p_key, p_expected);
    END IF;
    RETURN saved;
END $$;

-- Completes a leased reminder tick inside the grain's commit: deletes a one-shot reminder or moves
-- a periodic one to its next due time. Raises CR410 when the lease is no longer held, so a tick
-- that another node took over never commits twice.
CREATE FUNCTION courier_complete_reminder(p_type text, p_key text, p_name text, p_generation uuid, p_token uuid, p_next_due timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_next_due IS NULL THEN
        DELETE FROM reminders
        WHERE grain_type = p_type AND grain_key = p_key AND name = p_name AND generation = p_generation AND lease_token = p_token;
    ELSE
        UPDATE reminders
        SET due_at = p_next_due, attempts = 0, last_error = NULL, lease_owner = NULL, lease_token = NULL, lease_until = NULL
        WHERE grain_type = p_type AND grain_key = p_key AND name = p_name AND generation = p_generation AND lease_token = p_token;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'CR410', MESSAGE = format('lease lost on reminder %s of %s/%s', p_name, p_type, p_key);
    END IF;
END $$;
