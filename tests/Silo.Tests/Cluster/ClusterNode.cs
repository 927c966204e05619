using Courier.Silo.Cluster;
using Courier.Silo.Hosting;
using Courier.Silo.Logging;
using Courier.TestSupport.Logging;
using Serilog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Serialization;
using Orleans.Runtime;

namespace Courier.Silo.Tests.Cluster;

/// <summary>
/// One node's Orleans silo exactly as the app configures it (<see cref="CourierCluster.UseCourierCluster"/>),
/// on a test database, without the web front. Several on one database are several nodes.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private ClusterNode(IHost host, CapturedLog log)
    {
        this.host = host;
        Log = log;
    }

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();
    public SiloAddress Address => host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
    public IClusterMembershipService Membership => host.Services.GetRequiredService<IClusterMembershipService>();

    /// <summary>What the node logged, through Courier's own Serilog set-up (levels, overrides, filters).</summary>
    public CapturedLog Log { get; }

    public static async Task<ClusterNode> StartAsync(string connectionString, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Courier:Cluster:SiloPort"] = "0",
            ["Courier:Cluster:GatewayPort"] = "0",
            ["Courier:Logging:Console"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        var log = new CapturedLog();
        builder.Logging.ClearProviders().AddSerilog(new LoggerConfiguration().ConfigureForCourier(builder.Configuration).WriteTo.Sink(log).CreateLogger(), dispose: true);
        // Courier's part of a node too: it migrates the database before the silo reads its tables.
        builder.Services.AddCourierRuntime(builder.Configuration);
        builder.Services.AddPostgresStorage(connectionString);
        builder.UseOrleans(silo =>
        {
            silo.UseCourierCluster(builder.Configuration);
            silo.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(ReminderProbeGrain).Assembly));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ClusterNode(host, log);
    }

    /// <summary>Leaves the cluster the way Ctrl-C does.</summary>
    public async Task StopAsync()
    {
        if (stopped) return;
        stopped = true;
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
