using Courier.Grains.Deliveries;
using Courier.Silo.Hosting;
using Courier.Silo.Security;
using Courier.Silo.SiteAccess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Courier.Silo.Deliveries;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Deliveries: read models, the provisioners of each kind and the outbox handlers that run them,
    /// the file store, download links (their signing key is a <see cref="ProtectedSecrets"/> entry, so
    /// Data Protection with the PostgreSQL key ring comes too) and delivery e-mails. Needs an
    /// <see cref="Courier.Grains.Mail.IMailer"/> from the host.
    /// </summary>
    public static IServiceCollection AddCourierDeliveries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReadModelWriter<DeliveryRowWriter>();
        services.AddReadModelWriter<TechnicianAssignmentWriter>();
        services.AddReadModelWriter<DownloadLogWriter>();
        services.AddOptions<FileStoreOptions>().Bind(configuration.GetSection(FileStoreOptions.Section));
        services.AddOptions<DownloadOptions>().Bind(configuration.GetSection(DownloadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IFileStore, LocalFileStore>();
        services.AddCourierDataProtection();
        services.TryAddSingleton<ProtectedSecrets>();
        services.TryAddSingleton<DownloadLinks>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryProvisioner, DownloadProvisioner>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryProvisioner, LicenseKeyProvisioner>());
        services.AddCourierSiteAccess(configuration);
        services.AddOutboxHandler<StartDelivery, StartDeliveryHandler>();
        services.AddOutboxHandler<ProvisionDelivery, ProvisionDeliveryHandler>();
        services.AddOutboxHandler<DisableLicenseKey, DisableLicenseKeyHandler>();
        services.AddOutboxHandler<RevokeDelivery, RevokeDeliveryHandler>();
        services.AddOutboxHandler<ReportDeliveryProgress, ReportDeliveryProgressHandler>();
        services.AddOutboxHandler<EraseDeliveryCustomer, EraseDeliveryCustomerHandler>();
        services.AddOutboxHandler<SendDeliveryEmail, SendDeliveryEmailHandler>();
        return services;
    }
}
