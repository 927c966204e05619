using Courier.Silo.Hosting;
using Courier.Silo.Runtime;
using Courier.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Bench.Harness;

/// <summary>One silo node as the product builds it, on PostgreSQL or on the in-memory store, with the bench's grains.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly SiloHost host;

    private BenchSilo(ServiceProvider services)
    {
        this.services = services;
        host = services.GetRequiredService<SiloHost>();
        Runtime = services.GetRequiredService<GrainRuntime>();
    }

    public GrainRuntime Runtime { get; }
    public IServiceProvider Services => services;

    /// <summary>Starts a node on PostgreSQL (a connection string) or on a fresh in-memory store (null).</summary>
    public static async Task<BenchSilo> StartAsync(string? connectionString, Action<IServiceCollection> addGrains)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        collection.AddCourierRuntime();
        if (connectionString is null)
            collection.AddInMemoryStorage();
        else
            collection.AddPostgresStorage(connectionString);
        addGrains(collection);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var silo = new BenchSilo(provider);
        await silo.host.StartAsync(CancellationToken.None);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }
}
