using Npgsql;
using NpgsqlTypes;

namespace Courier.Silo.Storage;

/// <summary>
/// The outbox on PostgreSQL: the rows a grain commit wrote (<see cref="PostgresGrainStore"/>),
/// leased by the nodes' dispatchers, marked done, retried or dead-lettered.
/// </summary>
internal sealed class PostgresOutboxStore(NpgsqlDataSource dataSource) : IOutboxStore
{
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
        command.Parameters.Add(PostgresValues.Timestamp(nextAttempt));
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
}

/// <summary>Parameter values and batch commands Courier's PostgreSQL code shares.</summary>
internal static class PostgresValues
{
    public static NpgsqlParameter Timestamp(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    /// <summary>One statement of a batch with positional parameters ($1, $2…); a value that is already a parameter is kept as it is, null becomes NULL.</summary>
    public static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(value is NpgsqlParameter p ? p : new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
