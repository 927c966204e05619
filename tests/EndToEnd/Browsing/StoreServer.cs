using Courier.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// The real Courier app as <c>./courier run</c> serves it — the demo store seeded, on a real
/// Kestrel port so a browser can reach it — on a fresh PostgreSQL database of its own.
/// </summary>
public sealed class StoreServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string filesRoot = Path.Combine(Path.GetTempPath(), $"courier-e2e-files-{Guid.NewGuid():N}");
    private TestDatabase? database;

    public StoreServer() => UseKestrel(0);

    /// <summary>Where the browser reaches the app, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public TestDatabase Database => database ?? throw new InvalidOperationException("The store has not started.");

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Courier", Database.ConnectionString);
        // What ./courier run sets with its embedded database: the demo catalog, coupons and accounts.
        builder.UseSetting("Courier:Embedded", "true");
        builder.UseSetting("Courier:Files:Root", filesRoot);
        // Serve the built front-end assets as `dotnet run` does in Development.
        builder.UseStaticWebAssets();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        if (Directory.Exists(filesRoot)) Directory.Delete(filesRoot, recursive: true);
    }
}
