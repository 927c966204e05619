using Courier.Silo.Security;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Courier.Silo.Tests.Deliveries;

/// <summary>The download-link key is made once, kept encrypted in PostgreSQL, and every node reads the same one.</summary>
public sealed class ProtectedSecretsTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        await using var node = await TestSilo.StartAsync(database.ConnectionString); // applies the migrations
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    /// <summary>One node's view of the secrets: its own connection pool and Data Protection, the shared key ring.</summary>
    private ServiceProvider Node()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        services.AddCourierDataProtection();
        services.AddSingleton<ProtectedSecrets>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Two_nodes_asking_at_once_get_the_same_secret_and_the_database_holds_it_encrypted()
    {
        await using var first = Node();
        await using var second = Node();

        var secrets = await Task.WhenAll(
            first.GetRequiredService<ProtectedSecrets>().GetOrCreateAsync("download-links", 32),
            second.GetRequiredService<ProtectedSecrets>().GetOrCreateAsync("download-links", 32));

        Assert.Equal(32, secrets[0].Length);
        Assert.Equal(secrets[0], secrets[1]);
        var stored = Convert.FromBase64String((await database.ScalarAsync<string>("SELECT protected_value FROM protected_secrets WHERE name = 'download-links'"))!);
        Assert.True(stored.Length > 32);
        Assert.Equal(-1, stored.AsSpan().IndexOf(secrets[0]));
    }

    [Fact]
    public async Task A_restarted_node_reads_the_secret_made_before()
    {
        byte[] before;
        await using (var node = Node()) before = await node.GetRequiredService<ProtectedSecrets>().GetOrCreateAsync("restart-test", 32);

        await using var restarted = Node();
        var after = await restarted.GetRequiredService<ProtectedSecrets>().GetOrCreateAsync("restart-test", 32);

        Assert.Equal(before, after);
    }
}
