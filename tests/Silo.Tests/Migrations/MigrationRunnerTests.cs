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
