using Courier.Abstractions.Runtime;
using Courier.Silo.Hosting;
using Courier.Silo.Live;
using Courier.Silo.Runtime;
using Courier.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.TestSupport;

/// <summary>
/// One silo node for a test: the real runtime, reminder service, outbox dispatcher and live
/// relay, on PostgreSQL (give a connection string) or on a shared in-memory store. Several
/// TestSilo instances on the same database or store are several nodes.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private bool stopped;

    private TestSilo(ServiceProvider services)
    {
        this.services = services;
        Runtime = services.GetRequiredService<GrainRuntime>();
        Host = services.GetRequiredService<SiloHost>();
    }

    public GrainRuntime Runtime { get; }
    public IGrainFactory Grains => Runtime;
    public IServiceProvider Services => services;
    public LiveUpdateBus LiveUpdates => services.GetRequiredService<LiveUpdateBus>();
    internal SiloHost Host { get; }
    internal IRuntimeStore Store => services.GetRequiredService<IRuntimeStore>();

    /// <summary>Starts a node. <paramref name="store"/> is a PostgreSQL connection string or an <see cref="InMemoryRuntimeStore"/>.</summary>
    public static async Task<TestSilo> StartAsync(
        object store,
        Action<IServiceCollection>? configureServices = null,
        Action<RuntimeOptions>? configureRuntime = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        collection.AddCourierRuntime(configure: options =>
        {
            options.ReminderPollInterval = TimeSpan.FromMilliseconds(100);
            options.OutboxPollInterval = TimeSpan.FromMilliseconds(100);
            configureRuntime?.Invoke(options);
        });
        switch (store)
        {
            case string connectionString:
                collection.AddPostgresStorage(connectionString);
                break;
            case InMemoryRuntimeStore memory:
                collection.AddInMemoryStorage(memory);
                break;
            default:
                throw new ArgumentException("Give a connection string or an InMemoryRuntimeStore.", nameof(store));
        }
        configureServices?.Invoke(collection);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var silo = new TestSilo(provider);
        await silo.Host.StartAsync(CancellationToken.None);
        return silo;
    }

    /// <summary>Stops the node as a crash would: no draining, leases left to expire.</summary>
    public void Kill()
    {
        stopped = true;
        Host.Kill();
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped) await Host.StopAsync(CancellationToken.None);
        stopped = true;
        await services.DisposeAsync();
    }
}
