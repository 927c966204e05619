using System.Data;
using System.Globalization;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Postgresql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Courier.Silo.Migrations;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly (Migrations/NNNN_name.sql) with DbUp:
/// in order, in one transaction together with their rows in <c>schema_version</c>. The journal
/// (<see cref="SchemaVersionJournal"/>) takes an advisory lock on that transaction before it reads
/// what has run, so nodes starting together apply each script exactly once.
/// </summary>
internal sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> log)
{
    internal const string ResourcePrefix = "Courier.Silo.Migrations.";

    public static IReadOnlyList<MigrationScript> Scripts { get; } = LoadScripts();

    /// <summary>Applies the scripts not applied yet; returns their versions.</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(new DataSourceConnectionManager(dataSource))
            .WithScriptsEmbeddedInAssembly(typeof(MigrationRunner).Assembly, IsMigration)
            .JournalTo((connections, _) => new SchemaVersionJournal(connections))
            .WithTransaction()
            // The scripts are plain SQL whose PL/pgSQL bodies are dollar-quoted ($$, $fn$): nothing to substitute.
            .WithVariablesDisabled()
            .LogTo(new MicrosoftUpgradeLog(log))
            .Build();

        // DbUp is synchronous; it runs off the caller's thread and cannot be cancelled part-way (its transaction would roll back anyway).
        var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken).ConfigureAwait(false);
        if (!result.Successful)
        {
            var script = result.ErrorScript is { } failed ? Scripts.Single(s => s.ResourceName == failed.Name) : null;
            var reason = result.Error is PostgresException postgres ? postgres.MessageText : result.Error?.Message;
            throw new InvalidOperationException(script is null
                ? $"Migrations failed: {reason}. Nothing was applied."
                : $"Migration {script.Version:0000} ({script.Name}) failed: {reason}. Nothing was applied.", result.Error);
        }
        return [.. result.Scripts.Select(s => Scripts.Single(m => m.ResourceName == s.Name).Version)];
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

    private static bool IsMigration(string resource) =>
        resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(".sql", StringComparison.Ordinal);

    private static List<MigrationScript> LoadScripts()
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in typeof(MigrationRunner).Assembly.GetManifestResourceNames().Where(IsMigration))
        {
            var fileName = resource[ResourcePrefix.Length..^4];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            // Four digits, because DbUp orders scripts by name.
            if (underscore != 4 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration script {resource} must be named NNNN_name.sql.");
            scripts.Add(new MigrationScript(version, fileName[(underscore + 1)..], resource));
        }
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two migration scripts share number {duplicate.Key:0000}.");
        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>Connections from Courier's data source (its pooling and settings), each script run whole.</summary>
    private sealed class DataSourceConnectionManager(NpgsqlDataSource dataSource)
        : DatabaseConnectionManager(new DelegateConnectionFactory(_ => dataSource.CreateConnection()))
    {
        public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) => [scriptContents];
    }
}

/// <param name="ResourceName">The embedded resource, which is also DbUp's name for the script.</param>
internal sealed record MigrationScript(int Version, string Name, string ResourceName);

/// <summary>
/// DbUp's journal on Courier's own <c>schema_version</c> table (version, name, applied_at), which
/// existing databases already have. Reading it first takes a transaction-scoped advisory lock: with
/// DbUp's single transaction the lock is held until the scripts and their rows commit, so a second
/// node waits and then finds them applied.
/// </summary>
internal sealed class SchemaVersionJournal(Func<IConnectionManager> connections) : IJournal
{
    private const long AdvisoryLockKey = 0x436F757269657201; // "Courier" + 1

    public string[] GetExecutedScripts() =>
        connections().ExecuteCommandsWithManagedConnection(command =>
        {
            Execute(command, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})");
            EnsureTableExistsAndIsLatestVersion(command);
            var applied = new HashSet<int>();
            using (var query = command())
            {
                query.CommandText = "SELECT version FROM schema_version";
                using var reader = query.ExecuteReader();
                while (reader.Read()) applied.Add(reader.GetInt32(0));
            }
            return MigrationRunner.Scripts.Where(s => applied.Contains(s.Version)).Select(s => s.ResourceName).ToArray();
        });

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        var migration = MigrationRunner.Scripts.Single(s => s.ResourceName == script.Name);
        using var record = (NpgsqlCommand)dbCommandFactory();
        record.CommandText = "INSERT INTO schema_version (version, name) VALUES ($1, $2)";
        record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
        record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
        record.ExecuteNonQuery();
    }

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory) =>
        Execute(dbCommandFactory,
            "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");

    private static void Execute(Func<IDbCommand> dbCommandFactory, string sql)
    {
        using var command = dbCommandFactory();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
