-- Courier's grains run on Orleans (issue 12). A reminder row now says only what a grain wants and
-- when; Orleans' reminder (orleans_reminder, migration 0009) wakes the grain, and the tick is
-- handled only if the row says it is due. Leases, attempts and periods were the old runtime's own
-- reminder service and go. Rows already here are kept: each node's start-up sweep schedules an
-- Orleans reminder for every row that has none, and delivers the ones already due.
DROP FUNCTION courier_complete_reminder(text, text, text, uuid, uuid, timestamptz);

ALTER TABLE reminders
    DROP COLUMN period_ms,
    DROP COLUMN attempts,
    DROP COLUMN last_error,
    DROP COLUMN lease_owner,
    DROP COLUMN lease_token,
    DROP COLUMN lease_until;
