using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;
using Courier.Grains.Deliveries;

namespace Courier.Silo.Deliveries;

/// <summary>A download is ready once the product's file is in the file store.</summary>
internal sealed class DownloadProvisioner(IGrainFactory grains, IFileStore files) : IDeliveryProvisioner
{
    public DeliveryKind Kind => DeliveryKind.Download;

    public async Task<ProvisioningOutcome> ProvisionAsync(ProvisionDelivery request, CancellationToken cancellationToken)
    {
        var product = await grains.GetGrain<IProductGrain>(request.ProductId).GetAsync().ConfigureAwait(false);
        if (product is null) return ProvisioningOutcome.Failed($"Product {request.ProductId} no longer exists in the catalog.");
        if (product.DownloadFile is not { Length: > 0 } file)
            return ProvisioningOutcome.Failed($"{product.Title} has no download file; upload one in the admin console.");
        return await files.ExistsAsync(file, cancellationToken).ConfigureAwait(false)
            ? ProvisioningOutcome.Succeeded(new DeliveryResult())
            : ProvisioningOutcome.Failed($"The file {file} of {product.Title} is missing from the file store; upload it again in the admin console.");
    }
}

/// <summary>A licence key delivery takes one key from its product's pool.</summary>
internal sealed class LicenseKeyProvisioner(IGrainFactory grains) : IDeliveryProvisioner
{
    public DeliveryKind Kind => DeliveryKind.LicenseKey;

    public async Task<ProvisioningOutcome> ProvisionAsync(ProvisionDelivery request, CancellationToken cancellationToken)
    {
        var key = await grains.GetGrain<ILicenseKeyPoolGrain>(request.ProductId).AllocateAsync(request.DeliveryId).ConfigureAwait(false);
        return key is null
            ? ProvisioningOutcome.Failed($"The licence key pool for {request.ProductId} is empty; add keys in the admin console.")
            : ProvisioningOutcome.Succeeded(new DeliveryResult(key));
    }
}
