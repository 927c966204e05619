-- Orleans cluster membership and reminders on PostgreSQL, for Microsoft.Orleans.Clustering.AdoNet
-- and Microsoft.Orleans.Reminders.AdoNet. Those packages ship no PostgreSQL schema we may use, so
-- the tables and the statements are Courier's own, written against the providers' contract:
--   * each provider reads its statements by key with "SELECT QueryKey, QueryText FROM OrleansQuery"
--     (so that table's name and columns are fixed), then runs them with named @parameters;
--   * result columns are found by name (case-insensitively): Version, Address, Port, Generation,
--     SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime for membership;
--     GrainId, ReminderName, StartTime, Period (milliseconds), Version for reminders;
--   * conditional writes answer one row with one column that is non-zero when they took effect.
-- Membership is optimistic: every insert or update of a silo row must find the cluster's table
-- version at the value the silo last read (@Version) and moves it on by one, in the same statement.

CREATE TABLE OrleansQuery (
    QueryKey  text PRIMARY KEY,
    QueryText text NOT NULL
);

CREATE TABLE orleans_cluster (
    cluster_id  text        PRIMARY KEY,
    version     integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_silo (
    cluster_id      text        NOT NULL REFERENCES orleans_cluster (cluster_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

CREATE TABLE orleans_reminder (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
-- Each silo reads the reminders of its share of the hash ring.
CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- ---------------------------------------------------------------- membership
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_cluster (cluster_id) VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1)
SELECT count(*)::int FROM created
$sql$),

('InsertMembershipKey', $sql$
WITH moved AS (
    UPDATE orleans_cluster SET version = version + 1
    WHERE cluster_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleans_silo
                      WHERE cluster_id = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
    RETURNING cluster_id),
joined AS (
    INSERT INTO orleans_silo (cluster_id, address, port, generation, silo_name, host_name,
                              status, proxy_port, start_time, i_am_alive_time)
    SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName,
           @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM moved
    RETURNING 1)
SELECT count(*)::int FROM joined
$sql$),

('UpdateMembershipKey', $sql$
WITH moved AS (
    UPDATE orleans_cluster SET version = version + 1
    WHERE cluster_id = @DeploymentId AND version = @Version
      AND EXISTS (SELECT 1 FROM orleans_silo
                  WHERE cluster_id = @DeploymentId AND address = @Address
                    AND port = @Port AND generation = @Generation)
    RETURNING cluster_id),
changed AS (
    UPDATE orleans_silo AS s
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM moved
    WHERE s.cluster_id = moved.cluster_id AND s.address = @Address
      AND s.port = @Port AND s.generation = @Generation
    RETURNING 1)
SELECT count(*)::int FROM changed
$sql$),

('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_silo SET i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

('MembershipReadAllKey', $sql$
SELECT c.version AS Version,
       s.address AS Address, s.port AS Port, s.generation AS Generation,
       s.silo_name AS SiloName, s.host_name AS HostName, s.status AS Status,
       s.proxy_port AS ProxyPort, s.suspect_times AS SuspectTimes,
       s.start_time AS StartTime, s.i_am_alive_time AS IAmAliveTime
FROM orleans_cluster AS c
LEFT JOIN orleans_silo AS s ON s.cluster_id = c.cluster_id
WHERE c.cluster_id = @DeploymentId
$sql$),

('MembershipReadRowKey', $sql$
SELECT c.version AS Version,
       s.address AS Address, s.port AS Port, s.generation AS Generation,
       s.silo_name AS SiloName, s.host_name AS HostName, s.status AS Status,
       s.proxy_port AS ProxyPort, s.suspect_times AS SuspectTimes,
       s.start_time AS StartTime, s.i_am_alive_time AS IAmAliveTime
FROM orleans_cluster AS c
LEFT JOIN orleans_silo AS s
       ON s.cluster_id = c.cluster_id AND s.address = @Address
      AND s.port = @Port AND s.generation = @Generation
WHERE c.cluster_id = @DeploymentId
$sql$),

('GatewaysQueryKey', $sql$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM orleans_silo
WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
$sql$),

('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_cluster WHERE cluster_id = @DeploymentId
$sql$),

-- Silos that stopped answering long ago and are not active (3 = SiloStatus.Active).
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_silo
WHERE cluster_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$sql$),

-- ---------------------------------------------------------------- reminders
('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time, period_ms = excluded.period_ms,
    grain_hash = excluded.grain_hash, version = orleans_reminder.version + 1
RETURNING version AS Version
$sql$),

('ReadReminderRowsKey', $sql$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$sql$),

-- A silo's share of the ring is (begin, end]; when it wraps past the top, it is two pieces.
('ReadRangeRows1Key', $sql$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$sql$),

('ReadRangeRows2Key', $sql$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$),

('DeleteReminderRowKey', $sql$
WITH removed AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId
      AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*)::int FROM removed
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder WHERE service_id = @ServiceId
$sql$);
