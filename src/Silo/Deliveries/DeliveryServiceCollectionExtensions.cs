using Courier.Grains.Deliveries;
using Courier.Silo.Commerce.Demo;
using Courier.Silo.Hosting;
using Courier.Silo.SiteAccess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Courier.Silo.Deliveries;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Deliveries: read models, the provisioners of each kind and the outbox handlers that run them.</summary>
    public static IServiceCollection AddCourierDeliveries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReadModelWriter<DeliveryRowWriter>();
        services.AddReadModelWriter<TechnicianAssignmentWriter>();
        services.AddOptions<FileStoreOptions>().Bind(configuration.GetSection(FileStoreOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryProvisioner, DownloadProvisioner>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryProvisioner, LicenseKeyProvisioner>());
        services.AddCourierSiteAccess(configuration);
        services.AddOutboxHandler<StartDelivery, StartDeliveryHandler>();
        services.AddOutboxHandler<ProvisionDelivery, ProvisionDeliveryHandler>();
        services.AddOutboxHandler<DisableLicenseKey, DisableLicenseKeyHandler>();
        return services;
    }
}
