using Courier.Abstractions.Live;
using Courier.Silo.Hosting;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Courier.Silo.Tests.Runtime;

/// <summary>
/// The store's connection pool: it does not reset connections when they come back (that reset was
/// seven statements per use), these tests hold it to what that requires; and it is small unless
/// the connection string says otherwise.
/// </summary>
public sealed class PooledConnectionTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        // One pooled connection, so the connection the listener gives back is the one used next.
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddPostgresStorage(connectionString)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Live_listener_connection_goes_back_to_the_pool_no_longer_listening()
    {
        var feed = services.GetRequiredService<ILiveUpdateFeed>();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        using var stop = new CancellationTokenSource();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var listening = feed.ListenAsync(_ => ValueTask.CompletedTask, () => connected.TrySetResult(), stop.Token);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);

        await using var next = await dataSource.OpenConnectionAsync();
        await using var channels = new NpgsqlCommand("SELECT count(*) FROM pg_listening_channels()", next);
        Assert.Equal(0L, await channels.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Pooled_connections_are_not_reset_unless_the_connection_string_asks()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(services.GetRequiredService<NpgsqlDataSource>().ConnectionString).NoResetOnClose);

        var explicitReset = new ServiceCollection()
            .AddPostgresStorage(database.ConnectionString + ";No Reset On Close=false")
            .BuildServiceProvider();
        await using (explicitReset)
            Assert.False(new NpgsqlConnectionStringBuilder(explicitReset.GetRequiredService<NpgsqlDataSource>().ConnectionString).NoResetOnClose);
    }

    [Fact]
    public async Task Pool_holds_twenty_connections_unless_the_connection_string_sets_a_size()
    {
        var sized = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var unsized = new NpgsqlConnectionStringBuilder { Host = sized.Host, Port = sized.Port, Username = sized.Username, Password = sized.Password, Database = sized.Database };
        var defaults = new ServiceCollection().AddPostgresStorage(unsized.ConnectionString).BuildServiceProvider();
        await using (defaults)
            Assert.Equal(20, new NpgsqlConnectionStringBuilder(defaults.GetRequiredService<NpgsqlDataSource>().ConnectionString).MaxPoolSize);

        foreach (var (setting, expected) in new[] { ("Maximum Pool Size=50", 50), ("MaxPoolSize=7", 7) })
        {
            var explicitSize = new ServiceCollection().AddPostgresStorage(database.ConnectionString + ";" + setting).BuildServiceProvider();
            await using (explicitSize)
                Assert.Equal(expected, new NpgsqlConnectionStringBuilder(explicitSize.GetRequiredService<NpgsqlDataSource>().ConnectionString).MaxPoolSize);
        }
    }
}
