using Courier.Silo.Cluster;
using Courier.Silo.Grains;
using Courier.Silo.Hosting;
using Courier.Silo.Live;
using Courier.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Courier.TestSupport;

/// <summary>
/// One node for a test: an Orleans silo with Courier's grains, outbox dispatcher and live relay.
/// On PostgreSQL (give a connection string) it is the product's node — ADO.NET clustering and
/// reminders on that database — so several TestSilo instances on one database form one cluster.
/// On an <see cref="InMemoryStore"/> it is a cluster of one with in-memory reminders.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private TestSilo(IHost host)
    {
        this.host = host;
        Host = host.Services.GetRequiredService<SiloHost>();
    }

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();
    public IServiceProvider Services => host.Services;
    public LiveUpdateBus LiveUpdates => host.Services.GetRequiredService<LiveUpdateBus>();
    public string NodeName => host.Services.GetRequiredService<CommitPipeline>().NodeName;
    internal SiloHost Host { get; }
    internal IGrainStore Store => host.Services.GetRequiredService<IGrainStore>();

    internal IOutboxStore Outbox => host.Services.GetRequiredService<IOutboxStore>();

    /// <summary>Starts a node. <paramref name="store"/> is a PostgreSQL connection string or an <see cref="InMemoryStore"/>.</summary>
    public static async Task<TestSilo> StartAsync(
        object store,
        Action<IServiceCollection>? configureServices = null,
        Action<RuntimeOptions>? configureRuntime = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Courier:Cluster:SiloPort"] = "0",
            ["Courier:Cluster:GatewayPort"] = "0",
            // Short probes, so a killed node is declared dead within seconds.
            ["Courier:Cluster:ProbeTimeout"] = "00:00:01",
        });
        var services = builder.Services;
        services.AddCourierRuntime(configure: options =>
        {
            options.OutboxPollInterval = TimeSpan.FromMilliseconds(100);
            configureRuntime?.Invoke(options);
        });
        switch (store)
        {
            case string connectionString:
                services.AddPostgresStorage(connectionString);
                break;
            case InMemoryStore memory:
                services.AddInMemoryStorage(memory);
                break;
            default:
                throw new ArgumentException("Give a connection string or an InMemoryStore.", nameof(store));
        }
        configureServices?.Invoke(services);
        builder.UseOrleans(silo => silo.UseCourierClusterOrInMemory(builder.Configuration, inMemory: store is InMemoryStore));
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    /// <summary>
    /// Delivers every reminder tick that is due by Courier's clock (a test's fake one moves without
    /// Orleans noticing), through Orleans, as the start-up sweep does; returns how many.
    /// </summary>
    public Task<int> FireDueRemindersAsync() => Services.GetRequiredService<ReminderSweep>().RunAsync(CancellationToken.None);

    /// <summary>Stops the node as a crash would: no draining, outbox leases left to expire, the silo not leaving the cluster.</summary>
    public async Task KillAsync()
    {
        if (stopped) return;
        stopped = true;
        Host.Kill();
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        await host.StopAsync(now.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped) await host.StopAsync(CancellationToken.None);
        stopped = true;
        host.Dispose();
    }
}
