using Npgsql;

namespace Courier.Silo.Accounts;

/// <summary>What kind of event a <see cref="SignInActivity"/> row records.</summary>
public static class SignInActivityKinds
{
    public const string Failed = "sign-in-failed";
    public const string Succeeded = "sign-in";
    public const string SiteFailed = "site-sign-in-failed";
    public const string SiteSucceeded = "site-sign-in";
    public const string Registered = "registration";
    public const string ResetRequested = "password-reset-requested";
}

/// <param name="Kind">"failures-for-account", "failures-from-address" or "account-from-many-addresses".</param>
/// <param name="Subject">The e-mail address or the client address it is about.</param>
/// <param name="Count">Failures, or distinct addresses for "account-from-many-addresses".</param>
public sealed record SuspiciousSignInActivity(string Kind, string Subject, int Count, IReadOnlyList<string> Addresses, DateTimeOffset First, DateTimeOffset Last);

/// <summary>
/// The <c>sign_in_activity</c> table: every node records there and reads from there, so limits
/// hold across the cluster. Reads are small index range scans over the last window.
/// </summary>
public sealed class SignInActivity(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);
    private long recorded;

    public async Task RecordAsync(string kind, string? email, string clientAddress, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            "INSERT INTO sign_in_activity (at, kind, email, client_address) VALUES ($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)email ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clientAddress });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Increment(ref recorded) % 1000 == 0) await PurgeAsync(now - Retention, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The times of the newest <paramref name="max"/> failures (<paramref name="failedKind"/>) for the
    /// account since its last success (<paramref name="succeededKind"/>), and those from the client
    /// address, within <paramref name="window"/>; newest first.
    /// </summary>
    public async Task<(IReadOnlyList<DateTimeOffset> ForAccount, IReadOnlyList<DateTimeOffset> FromAddress)> RecentFailuresAsync(
        string failedKind, string succeededKind, string email, string clientAddress, TimeSpan window, int max, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 'account', at FROM (
                SELECT at FROM sign_in_activity
                WHERE email = $1 AND kind = $5 AND at > $3
                  AND id > coalesce((SELECT max(id) FROM sign_in_activity WHERE email = $1 AND kind = $6 AND at > $3), 0)
                ORDER BY at DESC LIMIT $4) a
            UNION ALL
            SELECT 'address', at FROM (
                SELECT at FROM sign_in_activity
                WHERE client_address = $2 AND kind = $5 AND at > $3
                ORDER BY at DESC LIMIT $4) b
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        command.Parameters.Add(new NpgsqlParameter { Value = clientAddress });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() - window });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        command.Parameters.Add(new NpgsqlParameter { Value = failedKind });
        command.Parameters.Add(new NpgsqlParameter { Value = succeededKind });
        var account = new List<DateTimeOffset>();
        var address = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            (reader.GetString(0) == "account" ? account : address).Add(reader.GetFieldValue<DateTimeOffset>(1));
        return (account.OrderDescending().ToList(), address.OrderDescending().ToList());
    }

    /// <summary>The times of the newest <paramref name="max"/> events of <paramref name="kind"/> from the client address within <paramref name="window"/>; newest first.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> RecentFromAddressAsync(string kind, string clientAddress, TimeSpan window, int max, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT at FROM sign_in_activity WHERE client_address = $1 AND kind = $2 AND at > $3 ORDER BY at DESC LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = clientAddress });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() - window });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        var times = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        return times;
    }

    /// <summary>
    /// What an admin should look at from the last <paramref name="window"/>: accounts with at least
    /// <paramref name="failureThreshold"/> failed sign-ins, addresses with as many failures, and
    /// accounts signed in from at least <paramref name="addressThreshold"/> different addresses.
    /// </summary>
    public async Task<IReadOnlyList<SuspiciousSignInActivity>> SuspiciousAsync(TimeSpan window, int failureThreshold, int addressThreshold, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 'failures-for-account', email, count(*)::int, (array_agg(DISTINCT client_address))[1:20], min(at), max(at)
            FROM sign_in_activity WHERE kind = 'sign-in-failed' AND at > $1 AND email IS NOT NULL
            GROUP BY email HAVING count(*) >= $2
            UNION ALL
            SELECT 'failures-from-address', client_address, count(*)::int, ARRAY[client_address], min(at), max(at)
            FROM sign_in_activity WHERE kind = 'sign-in-failed' AND at > $1
            GROUP BY client_address HAVING count(*) >= $2
            UNION ALL
            SELECT 'account-from-many-addresses', email, count(DISTINCT client_address)::int, (array_agg(DISTINCT client_address))[1:20], min(at), max(at)
            FROM sign_in_activity WHERE kind = 'sign-in' AND at > $1 AND email IS NOT NULL
            GROUP BY email HAVING count(DISTINCT client_address) >= $3
            ORDER BY 6 DESC
            LIMIT 200
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() - window });
        command.Parameters.Add(new NpgsqlParameter { Value = failureThreshold });
        command.Parameters.Add(new NpgsqlParameter { Value = addressThreshold });
        var found = new List<SuspiciousSignInActivity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            found.Add(new SuspiciousSignInActivity(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                reader.GetFieldValue<string[]>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        return found;
    }

    private async Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM sign_in_activity WHERE at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
