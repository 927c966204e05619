using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Courier.Silo.Security;

/// <summary>
/// Secrets Courier makes for itself (such as the download-link signing key): random bytes made
/// once, stored in <c>protected_secrets</c> encrypted with the Data Protection key ring (which
/// lives in PostgreSQL too), so every node reads the same secret, it survives restarts, and it is
/// never in configuration files. Rotating the key ring leaves them readable: old keys stay in the
/// ring for unprotecting.
/// </summary>
internal sealed class ProtectedSecrets(NpgsqlDataSource dataSource, IDataProtectionProvider protection)
{
    private readonly IDataProtector protector = protection.CreateProtector("Courier.ProtectedSecrets.v1");
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> cache = new(StringComparer.Ordinal);

    /// <summary>The secret called <paramref name="name"/>; the first node to ask makes it (<paramref name="length"/> random bytes).</summary>
    public async Task<byte[]> GetOrCreateAsync(string name, int length, CancellationToken cancellationToken = default)
    {
        var lazy = cache.GetOrAdd(name, _ => new Lazy<Task<byte[]>>(() => LoadOrCreateAsync(name, length)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            cache.TryRemove(KeyValuePair.Create(name, lazy)); // the database was unreachable: the next caller tries again
            throw;
        }
    }

    private async Task<byte[]> LoadOrCreateAsync(string name, int length)
    {
        var fresh = protector.Protect(RandomNumberGenerator.GetBytes(length));
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO protected_secrets (name, protected_value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            insert.Parameters.Add(new NpgsqlParameter { Value = Convert.ToBase64String(fresh) });
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        // Whoever inserted first won; every node reads the stored value.
        await using var select = dataSource.CreateCommand("SELECT protected_value FROM protected_secrets WHERE name = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = name });
        var stored = (string)(await select.ExecuteScalarAsync().ConfigureAwait(false))!;
        return protector.Unprotect(Convert.FromBase64String(stored));
    }
}
