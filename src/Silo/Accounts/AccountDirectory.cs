using Courier.Abstractions.Accounts;
using Npgsql;

namespace Courier.Silo.Accounts;

/// <summary>Searches the <c>accounts</c> read model (admin lists); never the source of truth for sign-in.</summary>
public sealed class AccountDirectory(NpgsqlDataSource dataSource)
{
    /// <summary>Accounts whose e-mail or display name contains <paramref name="query"/> (all when empty), newest first.</summary>
    public async Task<IReadOnlyList<AccountRow>> SearchAsync(string? query, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, email, display_name, roles, created_at FROM accounts " +
            "WHERE $1 = '' OR email LIKE '%' || $1 || '%' OR lower(display_name) LIKE '%' || $1 || '%' " +
            "ORDER BY created_at DESC, id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = EscapeLike((query ?? "").Trim().ToLowerInvariant()) });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, 500) });
        var rows = new List<AccountRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new AccountRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        return rows;
    }

    /// <summary>The e-mail address (the account grain's key) of account <paramref name="accountId"/>, or null when there is none.</summary>
    public async Task<string?> EmailOfAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT email FROM accounts WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
