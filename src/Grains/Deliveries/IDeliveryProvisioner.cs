using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;

namespace Courier.Grains.Deliveries;

/// <summary>
/// Provisions one kind of delivery (a download, a licence key, a hosted site). A provisioning
/// failure is an outcome, not an exception: the delivery grain owns retries. Throw only for
/// infrastructure trouble, so the outbox tries the whole step again.
/// </summary>
public interface IDeliveryProvisioner
{
    DeliveryKind Kind { get; }

    Task<ProvisioningOutcome> ProvisionAsync(ProvisionDelivery request, CancellationToken cancellationToken);
}

public sealed record ProvisioningOutcome(DeliveryResult? Result, string? Error)
{
    public static ProvisioningOutcome Succeeded(DeliveryResult result) => new(result, null);

    public static ProvisioningOutcome Failed(string error) => new(null, error);
}
