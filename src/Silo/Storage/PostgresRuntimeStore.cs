using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Courier.Abstractions.Live;
using Courier.Silo.Grains;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Courier.Silo.Storage;

/// <summary>
/// Courier's grain store on PostgreSQL. A commit is one batch sent in one round trip, which
/// PostgreSQL runs as one implicit transaction: the version-checked state write, journal rows,
/// outbox rows, reminder changes and read-model rows — all or nothing. Live updates are relayed to
/// other nodes after the commit (<see cref="PostgresLiveNotifier"/>).
/// </summary>
internal sealed partial class PostgresRuntimeStore : IRuntimeStore, IAsyncDisposable
{
    public const string LiveChannel = PostgresLiveNotifier.Channel;
    private const string VersionConflict = "CR409";

    private readonly NpgsqlDataSource dataSource;
    private readonly FrozenDictionary<Type, IReadModelWriter> writers;
    private readonly ILogger<PostgresRuntimeStore> log;

    public PostgresRuntimeStore(NpgsqlDataSource dataSource, IEnumerable<IReadModelWriter> writers, ILogger<PostgresRuntimeStore> log)
    {
        this.dataSource = dataSource;
        this.writers = writers.ToFrozenDictionary(w => w.RowType);
        this.log = log;
        notifier = new PostgresLiveNotifier(dataSource, log);
    }

    private readonly PostgresLiveNotifier notifier;

    public ValueTask DisposeAsync() => notifier.DisposeAsync();

    public async Task<StoredGrainState?> ReadStateAsync(GrainName grain, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT version, state::text FROM grain_state WHERE grain_type = $1 AND grain_key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredGrainState(reader.GetInt64(0), reader.GetString(1))
            : null;
    }

    public async Task CommitAsync(GrainCommit commit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        var grain = commit.Grain;

        if (commit.Completion is { } completion)
            batch.BatchCommands.Add(Command("DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3 AND generation = $4",
                grain.Type, grain.Key, completion.Name, completion.Generation));

        batch.BatchCommands.Add(Command("SELECT courier_save_state($1, $2, $3, $4::jsonb, $5)",
            grain.Type, grain.Key, commit.ExpectedVersion, commit.StateJson, commit.At));

        if (commit.Journal.Count > 0)
            batch.BatchCommands.Add(Command(
                "INSERT INTO grain_journal (grain_type, grain_key, version, seq, at, kind, data) " +
                "SELECT $1, $2, $3, u.seq, $4, u.kind, u.data::jsonb FROM unnest($5::int[], $6::text[], $7::text[]) AS u(seq, kind, data)",
                grain.Type, grain.Key, commit.NewVersion, commit.At,
                commit.Journal.Select(j => j.Sequence).ToArray(),
                commit.Journal.Select(j => j.Kind).ToArray(),
                commit.Journal.Select(j => j.DataJson).ToArray()));

        if (commit.Outbox.Count > 0)
            batch.BatchCommands.Add(Command(
                "INSERT INTO outbox (id, message_type, payload, grain_type, grain_key, created_at, next_attempt_at, lease_owner, lease_until) " +
                "SELECT u.id, u.type, u.payload::jsonb, $1, $2, $3, $3, $7, $8 FROM unnest($4::uuid[], $5::text[], $6::text[]) AS u(id, type, payload)",
                grain.Type, grain.Key, commit.At,
                commit.Outbox.Select(m => m.Id).ToArray(),
                commit.Outbox.Select(m => m.MessageType).ToArray(),
                commit.Outbox.Select(m => m.PayloadJson).ToArray(),
                new NpgsqlParameter { Value = (object?)commit.OutboxClaim?.Node ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                Timestamp(commit.OutboxClaim?.Until)));

        foreach (var change in commit.Reminders)
        {
            batch.BatchCommands.Add(change.Due is { } due
                ? Command(
                    "INSERT INTO reminders (grain_type, grain_key, name, due_at, generation) VALUES ($1, $2, $3, $4, $5) " +
                    "ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET due_at = EXCLUDED.due_at, generation = EXCLUDED.generation",
                    grain.Type, grain.Key, change.Name, due, change.Generation)
                : Command("DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3", grain.Type, grain.Key, change.Name));
        }

        foreach (var row in commit.Projections)
        {
            if (!writers.TryGetValue(row.GetType(), out var writer))
                throw new InvalidOperationException($"No read-model writer is registered for {row.GetType().FullName}; add one with AddReadModelWriter<…>().");
            batch.BatchCommands.Add(writer.Upsert(row));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == VersionConflict)
        {
            throw new GrainVersionConflictException(ex.MessageText);
        }
        foreach (var update in commit.LiveUpdates) notifier.Enqueue(update);
    }

    public async Task<IReadOnlyList<JournalEntryRecord>> ReadJournalAsync(GrainName grain, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, seq, at, kind, data::text FROM grain_journal WHERE grain_type = $1 AND grain_key = $2 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        var entries = new List<JournalEntryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            entries.Add(new JournalEntryRecord(reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4)));
        return entries;
    }

    public async Task<IReadOnlyList<ReminderRecord>> ListRemindersAsync(GrainName grain, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ReminderColumns} FROM reminders r WHERE grain_type = $1 AND grain_key = $2 ORDER BY name COLLATE \"C\"");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        return await ReadRemindersAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReminderRecord>> ListDueRemindersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ReminderColumns} FROM reminders r WHERE due_at <= $1 ORDER BY due_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        return await ReadRemindersAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>Orleans' reminder rows name the grain "type/key" (<see cref="GrainName.ToString"/>); a grain has one, <see cref="ReminderSweep.OrleansReminder"/>.</remarks>
    public async Task<IReadOnlyList<ReminderRecord>> ListUnscheduledRemindersAsync(int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ReminderColumns} FROM reminders r
            WHERE NOT EXISTS (
                SELECT 1 FROM orleans_reminder o
                WHERE o.grain_id = r.grain_type || '/' || r.grain_key AND o.reminder_name = $2)
            ORDER BY r.due_at LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        command.Parameters.Add(new NpgsqlParameter { Value = ReminderSweep.OrleansReminder });
        return await ReadRemindersAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private const string ReminderColumns = "r.grain_type, r.grain_key, r.name, r.due_at, r.generation";

    private static async Task<IReadOnlyList<ReminderRecord>> ReadRemindersAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reminders = new List<ReminderRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            reminders.Add(new ReminderRecord(
                new GrainName(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetGuid(4)));
        return reminders;
    }

    public async Task<IReadOnlyList<OutboxEnvelope>> LeaseDueMessagesAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        // Two small index scans instead of one over every pending row: messages due for a (re)try
        // that nobody holds, and messages whose holder's lease ran out (its node died, or it was
        // claimed at commit and never dispatched). Rows claimed by live nodes are not visited.
        await using var command = dataSource.CreateCommand($"""
            WITH unheld AS (
                SELECT id FROM outbox
                WHERE status = 'pending' AND lease_until IS NULL AND next_attempt_at <= $1
                ORDER BY next_attempt_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED),
            expired AS (
                SELECT id FROM outbox
                WHERE status = 'pending' AND lease_until < $1 AND next_attempt_at <= $1
                ORDER BY lease_until
                LIMIT $2
                FOR UPDATE SKIP LOCKED),
            due AS (SELECT id FROM unheld UNION SELECT id FROM expired LIMIT $2)
            UPDATE outbox o SET lease_owner = $3, lease_until = $4
            FROM due WHERE o.id = due.id
            RETURNING {OutboxColumns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        command.Parameters.Add(new NpgsqlParameter { Value = node });
        command.Parameters.Add(new NpgsqlParameter { Value = now + lease });
        return await ReadEnvelopesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseMessagesAsync(IReadOnlyList<Guid> ids, string node, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = ANY($1) AND status = 'pending' AND lease_owner = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = node });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkMessagesDoneAsync(IReadOnlyList<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox SET status = 'done', done_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkMessageFailedAsync(Guid id, int attempts, DateTimeOffset? nextAttempt, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox SET attempts = $2, last_error = $3, lease_owner = NULL, lease_until = NULL, " +
            "status = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'pending' END, " +
            "next_attempt_at = COALESCE($4::timestamptz, next_attempt_at) WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        command.Parameters.Add(Timestamp(nextAttempt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeDoneMessagesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM outbox WHERE status = 'done' AND done_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxEnvelope>> ListOutboxAsync(OutboxStatus status, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {OutboxColumns} FROM outbox o WHERE status = $1 ORDER BY created_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToString().ToLowerInvariant() });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        return await ReadEnvelopesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>Two counts, each answered by its partial index (pending: outbox_lease_expiry; dead: outbox_dead).</remarks>
    public async Task<OutboxCounts> CountOutboxAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending'), (SELECT count(*) FROM outbox WHERE status = 'dead')");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    private const string OutboxColumns =
        "o.id, o.message_type, o.payload::text, o.grain_type, o.grain_key, o.status, o.attempts, o.created_at, o.next_attempt_at, o.last_error";

    private static async Task<IReadOnlyList<OutboxEnvelope>> ReadEnvelopesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var envelopes = new List<OutboxEnvelope>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            envelopes.Add(new OutboxEnvelope(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Enum.Parse<OutboxStatus>(reader.GetString(5), ignoreCase: true),
                reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        return envelopes;
    }

    public async Task ListenAsync(Func<LiveUpdate, ValueTask> onUpdate, Action onConnected, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });
        connection.Notification += (_, e) => received.Writer.TryWrite(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {LiveChannel}", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        onConnected();

        var pump = Task.Run(async () =>
        {
            await foreach (var payload in received.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var update in ParseNotifyPayload(payload))
                    await onUpdate(update).ConfigureAwait(false);
            }
        }, cancellationToken);
        try
        {
            while (true)
                await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            received.Writer.TryComplete();
            await UnlistenAsync(connection).ConfigureAwait(false);
            try { await pump.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>The pool does not reset connections (NoResetOnClose), so this one must not go back still listening.</summary>
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection is discarded by the pool anyway.
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT to_regclass('grain_state') IS NOT NULL");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private IReadOnlyList<LiveUpdate> ParseNotifyPayload(string payload)
    {
        try
        {
            return PostgresLiveNotifier.Parse(payload);
        }
        catch (JsonException ex)
        {
            LogBadPayload(ex);
            return [];
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(value is NpgsqlParameter p ? p : new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    private static NpgsqlParameter Timestamp(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a live-update notification that could not be read")]
    private partial void LogBadPayload(Exception ex);
}
