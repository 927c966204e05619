using System.Reflection;
using System.Text.Json;
using Courier.Abstractions.Runtime;
using Courier.Silo.Accounts;
using Courier.Silo.Audit;
using Courier.Silo.Live;
using Courier.Silo.Migrations;
using Courier.Silo.Operations;
using Courier.Silo.Outbox;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Courier.Silo.Hosting;

public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// The node as the product runs it: Courier's grain store on PostgreSQL (connection string
    /// "ConnectionStrings:Courier"), read-model writers, and the node's start-up and background
    /// work (<see cref="SiloHost"/>). The Orleans silo itself comes from <c>AddCourierCluster</c>.
    /// </summary>
    public static IServiceCollection AddCourierSilo(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Courier");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "No database is configured. Set ConnectionStrings__Courier (or COURIER_DATABASE when using ./courier run) to a PostgreSQL connection string.");
        services.AddCourierRuntime(configuration);
        services.AddPostgresStorage(connectionString);
        services.AddReadModelWriter<AccountRowWriter>();
        services.AddReadModelWriter<DeletedAccountRowWriter>();
        services.AddOutboxHandler<Courier.Grains.Accounts.EraseAccountTraces, EraseAccountTracesHandler>();
        services.AddReadModelWriter<AuditEntryWriter>();
        services.TryAddSingleton<AccountDirectory>();
        services.TryAddSingleton<SignInActivity>();
        services.TryAddSingleton<PersonalDataRecords>();
        return services;
    }

    /// <summary>What Courier adds to Orleans on a node, without a store; add one with <see cref="AddPostgresStorage"/> (or the in-memory one in tests). Register it before the Orleans silo: its start-up migrates the database the silo's tables live in.</summary>
    public static IServiceCollection AddCourierRuntime(this IServiceCollection services, IConfiguration? configuration = null, Action<RuntimeOptions>? configure = null)
    {
        var options = services.AddOptions<RuntimeOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(RuntimeOptions.Section));
        if (configure is not null) options.Configure(configure);
        options.ValidateDataAnnotations().ValidateOnStart();
        var hostOptions = services.AddOptions<SiloHostOptions>();
        if (configuration is not null) hostOptions.Bind(configuration.GetSection(SiloHostOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LiveUpdateBus>();
        services.TryAddSingleton<CommitPipeline>();
        services.TryAddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<LiveUpdateRelay>();
        services.TryAddSingleton(sp => new SiloHost(
            sp.GetRequiredService<CommitPipeline>(),
            sp,
            sp.GetRequiredService<OutboxDispatcher>(),
            sp.GetRequiredService<LiveUpdateRelay>(),
            sp.GetRequiredService<IOptions<SiloHostOptions>>(),
            sp.GetRequiredService<ILogger<SiloHost>>()));
        // Ahead of the Orleans silo's own hosted service: the database is migrated before the silo reads its tables.
        services.AddHostedService(sp => sp.GetRequiredService<SiloHost>());
        services.AddMetrics();
        services.TryAddSingleton<OutboxBacklog>();
        services.TryAddSingleton<CourierMetrics>();
        // Registered before the silo's own hosted service, so it counts from the first commit.
        services.AddHostedService<CommittedWorkMetrics>();
        return services;
    }

    /// <summary>Pooled connections per node unless the connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 20;

    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        // Courier keeps no session state on pooled connections (advisory locks are transaction-scoped;
        // the one LISTEN connection unlistens before it goes back), so resetting a connection each
        // time it returns to the pool is pure cost: seven statements PostgreSQL parses and runs.
        var spelled = connectionString.Replace(" ", "", StringComparison.Ordinal);
        if (!spelled.Contains("ResetOnClose", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        // PostgreSQL does the most with a few busy backends: every grain commit is one short round
        // trip, so callers queue briefly for a pooled connection instead of waking one of a hundred
        // backends each. bench checkout on two cores: 500-580 paid orders/s with 12-24 connections,
        // 480-520 with 200, and less CPU per order.
        if (!spelled.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase) && !spelled.Contains("MaximumPoolSize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(builder.ConnectionString));
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<PostgresLiveNotifier>();
        services.TryAddSingleton<ILiveUpdateFeed>(sp => sp.GetRequiredService<PostgresLiveNotifier>());
        services.TryAddSingleton<IGrainStore, PostgresGrainStore>();
        services.TryAddSingleton<IOutboxStore, PostgresOutboxStore>();
        return services;
    }

    internal static IServiceCollection AddInMemoryStorage(this IServiceCollection services, InMemoryStore? shared = null)
    {
        var store = shared ?? new InMemoryStore();
        services.TryAddSingleton<IGrainStore>(store);
        services.TryAddSingleton<IOutboxStore>(store);
        services.TryAddSingleton<ILiveUpdateFeed>(store);
        return services;
    }

    /// <summary>Registers the handler that carries out outbox messages of type <typeparamref name="TMessage"/>.</summary>
    public static IServiceCollection AddOutboxHandler<TMessage, THandler>(this IServiceCollection services)
        where TMessage : IOutboxMessage
        where THandler : class, IOutboxHandler<TMessage>
    {
        services.TryAddSingleton<THandler>();
        services.AddSingleton(new OutboxHandlerRegistration(
            OutboxMessageTypes.NameOf(typeof(TMessage)),
            (sp, payload, delivery, cancellationToken) =>
            {
                var message = JsonSerializer.Deserialize<TMessage>(payload, GrainJson.Options)
                    ?? throw new InvalidOperationException($"Outbox message {delivery.MessageId} has an empty payload.");
                return sp.GetRequiredService<THandler>().HandleAsync(message, delivery, cancellationToken);
            }));
        return services;
    }

    public static IServiceCollection AddReadModelWriter<TWriter>(this IServiceCollection services) where TWriter : class, IReadModelWriter
    {
        services.AddSingleton<IReadModelWriter, TWriter>();
        return services;
    }
}
