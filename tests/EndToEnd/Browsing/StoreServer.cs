using Courier.Abstractions.Catalog;
using Courier.Grains.Deliveries;
using Courier.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    /// <summary>
    /// Stands in front of the store's real download provisioner: a test can make a product's
    /// deliveries fail their first attempts (and so retry on the real schedule) or hold them until it
    /// is ready to watch. Products nobody scripted are provisioned as <c>./courier run</c> does.
    /// </summary>
    public ScriptedProvisioner Downloads { get; } = new(DeliveryKind.Download);

    /// <summary>Stands between browsers and the live hub, to make watches fail.</summary>
    public HubFaults Hub { get; } = new();

    /// <summary>What the store logged lately, for the report of a failing test.</summary>
    public ServerLog Log { get; } = new();

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
        builder.UseSetting("Courier:Cluster:SiloPort", "0");
        builder.UseSetting("Courier:Cluster:GatewayPort", "0");
        // What ./courier run sets with its embedded database: the demo catalog, coupons and accounts.
        builder.UseSetting("Courier:Embedded", "true");
        builder.UseSetting("Courier:Files:Root", filesRoot);
        // Every browser of the suite comes from 127.0.0.1: as one visitor it would soon hit the
        // per-address limit on registrations, which PasswordResetAddressLimitTests covers.
        builder.UseSetting("Courier:SignInThrottle:MaxRegistrationsPerAddress", "10000");
        // Serve the built front-end assets as `dotnet run` does in Development.
        builder.UseStaticWebAssets();
        builder.ConfigureTestServices(services =>
        {
            PutScriptedDownloadsInFrontOfTheRealProvisioner(services);
            services.Configure<HubOptions>(hub => hub.AddFilter(Hub));
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    private void PutScriptedDownloadsInFrontOfTheRealProvisioner(IServiceCollection services)
    {
        var registered = services.Where(d => d.ServiceType == typeof(IDeliveryProvisioner) && d.ImplementationType is not null).ToList();
        foreach (var descriptor in registered)
        {
            services.Remove(descriptor);
            services.AddSingleton<IDeliveryProvisioner>(provider =>
            {
                var real = (IDeliveryProvisioner)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
                return real.Kind == DeliveryKind.Download ? Downloads.InFrontOf(real) : real;
            });
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        if (Directory.Exists(filesRoot)) Directory.Delete(filesRoot, recursive: true);
    }
}
