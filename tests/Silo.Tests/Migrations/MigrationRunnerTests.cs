using Courier.Silo.Migrations;
using Courier.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Courier.Silo.Tests.Migrations;

public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await database.DisposeAsync();

    private MigrationRunner Runner(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<MigrationRunner>.Instance);

    [Fact]
    public async Task Applying_twice_applies_every_script_once_and_the_second_run_is_a_no_op()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        var first = await Runner(dataSource).ApplyAsync(default);
        var second = await Runner(dataSource).ApplyAsync(default);

        Assert.Equal(MigrationRunner.Scripts.Select(s => s.Version), first);
        Assert.Empty(second);
        Assert.Equal(MigrationRunner.Scripts.Count, await database.ScalarAsync<int>("SELECT count(*) FROM schema_version"));
        Assert.True(await Runner(dataSource).IsUpToDateAsync(default));
    }

    [Fact]
    public async Task Two_nodes_starting_together_apply_each_script_exactly_once()
    {
        await using var one = NpgsqlDataSource.Create(database.ConnectionString);
        await using var two = NpgsqlDataSource.Create(database.ConnectionString);

        var results = await Task.WhenAll(
            Task.Run(() => Runner(one).ApplyAsync(default)),
            Task.Run(() => Runner(two).ApplyAsync(default)));

        Assert.Equal(MigrationRunner.Scripts.Count, results.Sum(r => r.Count));
        Assert.Equal(MigrationRunner.Scripts.Count, await database.ScalarAsync<int>("SELECT count(DISTINCT version) FROM schema_version"));
        Assert.Equal(MigrationRunner.Scripts.Count, await database.ScalarAsync<int>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task A_database_the_earlier_runner_migrated_gets_only_the_scripts_it_lacks_and_keeps_its_rows()
    {
        // What Courier's own runner left behind before DbUp: the scripts run and one schema_version row each.
        var older = MigrationRunner.Scripts.SkipLast(1).ToList();
        await database.ExecuteAsync("CREATE TABLE schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var script in older)
        {
            await using var stream = typeof(MigrationRunner).Assembly.GetManifestResourceStream(script.ResourceName)!;
            using var reader = new StreamReader(stream);
            await database.ExecuteAsync(await reader.ReadToEndAsync());
            await database.ExecuteAsync($"INSERT INTO schema_version (version, name, applied_at) VALUES ({script.Version}, '{script.Name}', '2026-01-01T00:00:00Z')");
        }
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        var applied = await Runner(dataSource).ApplyAsync(default);

        Assert.Equal([MigrationRunner.Scripts[^1].Version], applied);
        Assert.Equal(older.Count, await database.ScalarAsync<int>("SELECT count(*) FROM schema_version WHERE applied_at = '2026-01-01T00:00:00Z'"));
        Assert.Equal(MigrationRunner.Scripts[^1].Name, await database.ScalarAsync<string>("SELECT name FROM schema_version ORDER BY version DESC LIMIT 1"));
        Assert.True(await Runner(dataSource).IsUpToDateAsync(default));
    }

    [Fact]
    public async Task A_database_without_migrations_is_reported_as_not_up_to_date()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        Assert.False(await Runner(dataSource).IsUpToDateAsync(default));
    }

    [Fact]
    public void Scripts_are_numbered_without_gaps_from_one()
    {
        Assert.Equal(Enumerable.Range(1, MigrationRunner.Scripts.Count), MigrationRunner.Scripts.Select(s => s.Version));
    }
}
