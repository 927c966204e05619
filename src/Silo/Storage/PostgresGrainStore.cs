using System.Collections.Frozen;
using Courier.Silo.Grains;
using Npgsql;
using NpgsqlTypes;
using static Courier.Silo.Storage.PostgresValues;

namespace Courier.Silo.Storage;

/// <summary>
/// Courier's grain storage on PostgreSQL. A commit is one batch sent in one round trip, which
/// PostgreSQL runs as one implicit transaction: the version-checked state write, journal rows,
/// outbox rows, reminder changes and read-model rows — all or nothing. Live updates are relayed to
/// other nodes after the commit (<see cref="PostgresLiveNotifier"/>).
/// </summary>
internal sealed class PostgresGrainStore(NpgsqlDataSource dataSource, IEnumerable<IReadModelWriter> readModelWriters, PostgresLiveNotifier notifier) : IGrainStore
{
    private const string VersionConflict = "CR409";

    private readonly FrozenDictionary<Type, IReadModelWriter> writers = readModelWriters.ToFrozenDictionary(w => w.RowType);

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
                PostgresValues.Timestamp(commit.OutboxClaim?.Until)));

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
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Two grains claimed the same unique value of a read model (two products racing for one
            // slug): the later commit loses, and its caller gets a 409 instead of a 500.
            throw TakenValue(ex.ConstraintName);
        }
        foreach (var update in commit.LiveUpdates) notifier.Enqueue(update);
    }

    /// <summary>What a unique-key violation means to the person who caused it.</summary>
    private static Courier.Abstractions.Commerce.RuleViolationException TakenValue(string? constraint) => constraint switch
    {
        "catalog_products_slug_key" => new("slug-taken", "Another product already uses this slug. Choose another.", 409),
        "accounts_email_key" => new("email-taken", "An account with this e-mail address already exists. Sign in instead, or use another address.", 409),
        _ => new("already-exists", $"Something with the same unique value already exists ({constraint ?? "a unique key"}). Nothing was changed.", 409),
    };

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

    public async Task<string?> UnreadyReasonAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT to_regclass('grain_state') IS NOT NULL");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true
                ? null
                : "The database has no Courier tables yet: migrations have not run.";
        }
        catch (NpgsqlException ex)
        {
            return $"The database is not reachable ({(ex is PostgresException postgres ? postgres.MessageText : ex.InnerException?.Message ?? ex.Message)}); Courier keeps reconnecting.";
        }
    }
}
