using Courier.Silo.Cluster;
using Courier.Silo.Grains;
using Courier.Silo.Hosting;
using Courier.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Courier.Bench.Harness;

/// <summary>
/// One node as the product builds it — an Orleans silo with Courier's grains — on PostgreSQL
/// (ADO.NET clustering and reminders, as the product) or on the in-memory store (a cluster of one
/// with in-memory reminders), with the bench's grains.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost host;

    private BenchSilo(IHost host) => this.host = host;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();
    public IServiceProvider Services => host.Services;
    public CommitPipeline Commits => host.Services.GetRequiredService<CommitPipeline>();

    /// <summary>Activations on this silo (Orleans' catalog count).</summary>
    public async Task<int> ActivationCountAsync()
    {
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetRuntimeStatistics([]);
        return hosts.Sum(h => h.ActivationCount);
    }

    /// <summary>Starts a node on PostgreSQL (a connection string) or on a fresh in-memory store (null).</summary>
    public static async Task<BenchSilo> StartAsync(string? connectionString, Action<IServiceCollection> addServices)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Courier:Cluster:SiloPort"] = "0",
            ["Courier:Cluster:GatewayPort"] = "0",
        });
        builder.Services.AddCourierRuntime(builder.Configuration);
        if (connectionString is null)
            builder.Services.AddInMemoryStorage();
        else
            builder.Services.AddPostgresStorage(connectionString);
        addServices(builder.Services);
        builder.UseOrleans(silo => silo.UseCourierClusterOrInMemory(builder.Configuration, inMemory: connectionString is null));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
