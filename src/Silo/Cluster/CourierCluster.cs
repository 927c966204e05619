using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Courier.Silo.Cluster;

/// <summary>
/// The Orleans silo of a Courier node: clustering and reminders in the node's own PostgreSQL
/// database (tables and statements from migration 0009), endpoints and membership timing from
/// <see cref="ClusterSettings"/>, and the Orleans dashboard for operators.
/// </summary>
public static class CourierCluster
{
    /// <summary>ADO.NET invariant name Orleans' providers know PostgreSQL by.</summary>
    private const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Co-hosts this node's silo in the app (as the Orleans samples do). Call after
    /// <c>AddCourierSilo</c>: its start-up applies the migrations the silo's tables come from.
    /// </summary>
    public static IHostApplicationBuilder AddCourierCluster(this IHostApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.UseCourierCluster(builder.Configuration));
        return builder;
    }

    public static ISiloBuilder UseCourierCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        Validate(settings);
        if (!IPAddress.TryParse(settings.AdvertisedAddress, out var address))
            throw new OptionsValidationException(ClusterSettings.Section, typeof(ClusterSettings),
                [$"Courier:Cluster:AdvertisedAddress '{settings.AdvertisedAddress}' is not an IP address. Give the address other nodes reach this one on, e.g. 10.0.0.5."]);

        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });
        var siloPort = settings.SiloPort == 0 ? FreePort(address) : settings.SiloPort;
        var gatewayPort = settings.GatewayPort == 0 ? FreePort(address) : settings.GatewayPort;
        silo.ConfigureEndpoints(address, siloPort, gatewayPort);
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = settings.ProbeTimeout;
            options.NumMissedProbesLimit = settings.MissedProbesBeforeSuspicion;
        });

        // The node's own pool (No Reset On Close, bounded size): Orleans' statements share it.
        silo.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((o, dataSource) =>
        {
            o.Invariant = PostgresInvariant;
            o.DataSource = dataSource;
        }));
        silo.UseAdoNetReminderService(options => options.Configure<NpgsqlDataSource>((o, dataSource) =>
        {
            o.Invariant = PostgresInvariant;
            o.DataSource = dataSource;
        }));
        silo.AddCourierGrains();
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// The product's cluster (<see cref="UseCourierCluster"/>) when the node has a database, or —
    /// for tests and benches on the in-memory store, never the product — a cluster of one on
    /// loopback, on free ports, with reminders in memory.
    /// </summary>
    internal static ISiloBuilder UseCourierClusterOrInMemory(this ISiloBuilder silo, IConfiguration configuration, bool inMemory)
    {
        if (!inMemory) return silo.UseCourierCluster(configuration);
        silo.UseLocalhostClustering(FreePort(IPAddress.Loopback), FreePort(IPAddress.Loopback));
        silo.UseInMemoryReminderService();
        return silo.AddCourierGrains();
    }

    /// <summary>A port nothing listens on right now; another process could still take it first.</summary>
    internal static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Validate(ClusterSettings settings)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), problems, validateAllProperties: true))
            throw new OptionsValidationException(ClusterSettings.Section, typeof(ClusterSettings),
                problems.Select(p => $"{ClusterSettings.Section}: {p.ErrorMessage}"));
    }
}
