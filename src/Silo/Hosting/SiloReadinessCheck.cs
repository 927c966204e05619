using Courier.Silo.Migrations;
using Courier.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Courier.Silo.Hosting;

/// <summary>Ready when the database answers, every migration is applied and the node's loops run.</summary>
internal sealed class SiloReadinessCheck(SiloHost host, IGrainStore store, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.IsRunning) return HealthCheckResult.Unhealthy("The silo node is not running.");
        if (await store.UnreadyReasonAsync(cancellationToken).ConfigureAwait(false) is { } reason)
            return HealthCheckResult.Unhealthy(reason);
        if (services.GetService<MigrationRunner>() is { } migrations && !await migrations.IsUpToDateAsync(cancellationToken).ConfigureAwait(false))
            return HealthCheckResult.Unhealthy("Database migrations are not all applied.");
        return HealthCheckResult.Healthy("Database reachable, migrations applied, runtime up.");
    }
}
