-- What happened at the door, shared by every node: failed and successful sign-ins, registrations
-- and password-reset requests, with the client address. Sign-in throttling, the per-address limits
-- on registration and reset requests, and the admins' feed of suspicious activity read it, so a
-- cluster of N nodes allows no more guesses than one node. Rows older than 30 days are purged.
CREATE TABLE sign_in_activity (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL,
    kind           text        NOT NULL,
    email          text        NULL,
    client_address text        NOT NULL
);
CREATE INDEX sign_in_activity_by_address ON sign_in_activity (client_address, kind, at);
CREATE INDEX sign_in_activity_by_email ON sign_in_activity (email, kind, at) WHERE email IS NOT NULL;
CREATE INDEX sign_in_activity_by_time ON sign_in_activity (at);
