using Courier.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Courier.WebFront.Tests;

/// <summary>The whole web front with its co-hosted silo, on a fresh PostgreSQL database.</summary>
public class CourierWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase database = null!;

    public TestDatabase Database => database;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Courier", database.ConnectionString);
        // Test hosts run side by side: each silo takes free ports instead of 11111 and 30000.
        builder.UseSetting("Courier:Cluster:SiloPort", "0");
        builder.UseSetting("Courier:Cluster:GatewayPort", "0");
        builder.UseEnvironment("Testing");
        // Every in-memory test client has the same (absent) client address: the per-address limits on
        // registration and reset requests would otherwise count a whole test class as one visitor.
        builder.UseSetting("Courier:SignInThrottle:MaxRegistrationsPerAddress", "10000");
        builder.UseSetting("Courier:SignInThrottle:MaxResetRequestsPerAddress", "10000");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Extra configuration for a variant of the host (e.g. the embedded demo run).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync(); // virtual, so a variant can clean up what it made
        await database.DisposeAsync();
    }
}
