using Courier.Abstractions.Runtime;
using Courier.Grains.Deliveries;
using Courier.Grains.SiteAccess;
using Courier.Silo.Hosting;
using Courier.Silo.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Courier.Silo.Deliveries;

namespace Courier.Silo.SiteAccess;

public static class SiteAccessServiceCollectionExtensions
{
    /// <summary>
    /// Hosted-site deliveries: both site hosts (new accounts go to the one <c>Deliveries:SiteAccess:Provider</c>
    /// names; existing ones stay with the host that made them), the provisioner, credential sealing,
    /// self-service, the built-in sites and the outbox handlers for revoke and removal.
    /// </summary>
    public static IServiceCollection AddCourierSiteAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiteAccessOptions>().Bind(configuration.GetSection(SiteAccessOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiteAccessOptions>, SiteAccessOptionsValidator>());
        services.AddCourierDataProtection();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSiteHostHttpClient();

        services.TryAddSingleton<SiteCredentialVault>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiteHost, BuiltinSiteHost>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiteHost, HttpSiteHost>());
        services.TryAddSingleton<SiteHosts>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryProvisioner, SiteAccessProvisioner>());
        services.TryAddSingleton(sp => new SiteAccessSelfService(
            sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<SiteHosts>(), sp.GetRequiredService<SiteCredentialVault>()));
        services.TryAddSingleton(sp => new HostedSites(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<SiteCredentialVault>(), sp.GetRequiredService<IOptions<FileStoreOptions>>()));

        services.AddReadModelWriter<HostedSiteRowWriter>();
        services.AddOutboxHandler<RevokeSiteAccess, RevokeSiteAccessHandler>();
        services.AddOutboxHandler<RemoveSiteAccount, RemoveSiteAccountHandler>();
        return services;
    }

    /// <summary>The HTTP site host's client: answers up to 1 MiB, resilience as every outgoing client has it, each attempt limited to <c>Deliveries:SiteAccess:Http:Timeout</c>.</summary>
    internal static IServiceCollection AddSiteHostHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(HttpSiteHost.HttpClientName, http => http.MaxResponseContentBufferSize = 1024 * 1024)
            .AddCourierResilience(sp => sp.GetRequiredService<IOptions<SiteAccessOptions>>().Value.Http.Timeout);
        return services;
    }
}
