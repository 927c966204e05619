using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Courier.Silo.Migrations;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly (Migrations/NNNN_name.sql), in
/// order, in one transaction under an advisory lock so that nodes starting together apply each
/// script exactly once; applied scripts are recorded in <c>schema_version</c>. Stands in for DbUp.
/// </summary>
internal sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> log)
{
    private const long AdvisoryLockKey = 0x436F757269657201; // "Courier" + 1

    public static IReadOnlyList<MigrationScript> Scripts { get; } = LoadScripts();

    /// <summary>Applies the scripts not applied yet; returns their versions.</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var query = new NpgsqlCommand("SELECT version FROM schema_version", connection))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                applied.Add(reader.GetInt32(0));

        var newlyApplied = new List<int>();
        foreach (var script in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            try
            {
                await ExecuteAsync(connection, script.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException($"Migration {script.Version:0000} ({script.Name}) failed: {ex.MessageText}. Nothing was applied.", ex);
            }
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES ($1, $2)", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            newlyApplied.Add(script.Version);
            LogApplied(script.Version, script.Name);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return newlyApplied;
    }

    /// <summary>True when every embedded script has been applied.</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken cancellationToken)
    {
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('schema_version') IS NOT NULL"))
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true) return false;
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM schema_version WHERE version = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = Scripts.Select(s => s.Version).ToArray() });
        var count = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return count == Scripts.Count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<MigrationScript> LoadScripts()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        const string prefix = "Courier.Silo.Migrations.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^4];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration script {resource} must be named NNNN_name.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(version, fileName[(underscore + 1)..], reader.ReadToEnd()));
        }
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two migration scripts share number {duplicate.Key:0000}.");
        return [.. scripts.OrderBy(s => s.Version)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);
}

internal sealed record MigrationScript(int Version, string Name, string Sql);
