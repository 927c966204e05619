using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;
using Courier.Grains.Deliveries;
using Courier.Silo.Grains;
using Courier.Silo.Outbox;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Deliveries;

/// <summary>Starts the delivery of a paid order line with its product's delivery target and download limit.</summary>
internal sealed class StartDeliveryHandler(IGrainFactory grains, IOptions<DownloadOptions> downloads) : IOutboxHandler<StartDelivery>
{
    public static readonly TimeSpan DefaultSla = TimeSpan.FromMinutes(5);

    public async Task HandleAsync(StartDelivery message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var product = await grains.GetGrain<IProductGrain>(message.ProductId).GetAsync().ConfigureAwait(false);
        var policy = new DownloadPolicy(product?.DownloadLimit ?? downloads.Value.DefaultLimit, downloads.Value.LinkValidity);
        var grain = grains.GetGrain<IDeliveryGrain>(message.DeliveryId);
        using (NewGrain.Announce(grain)) // started once per paid line; a re-dispatch finds its row at commit
            await grain.StartAsync(message.ToRequest(product?.DeliverySla ?? DefaultSla, policy)).ConfigureAwait(false);
    }
}

/// <summary>Runs one provisioning attempt with the provisioner of its kind and reports the outcome to the delivery.</summary>
internal sealed class ProvisionDeliveryHandler(IGrainFactory grains, IEnumerable<IDeliveryProvisioner> provisioners) : IOutboxHandler<ProvisionDelivery>
{
    public async Task HandleAsync(ProvisionDelivery message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var provisioner = provisioners.LastOrDefault(p => p.Kind == message.Kind);
        var outcome = provisioner is null
            ? ProvisioningOutcome.Failed($"No provisioner is configured for {message.Kind} deliveries.")
            : await provisioner.ProvisionAsync(message, cancellationToken).ConfigureAwait(false);
        var grain = grains.GetGrain<IDeliveryGrain>(message.DeliveryId);
        if (outcome.Result is { } result) await grain.ProvisioningSucceededAsync(message.Attempt, result).ConfigureAwait(false);
        else await grain.ProvisioningFailedAsync(message.Attempt, outcome.Error ?? "The provisioner gave no reason.").ConfigureAwait(false);
    }
}

internal sealed class DisableLicenseKeyHandler(IGrainFactory grains) : IOutboxHandler<DisableLicenseKey>
{
    public Task HandleAsync(DisableLicenseKey message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<ILicenseKeyPoolGrain>(message.ProductId).DisableAsync(message.DeliveryId);
}

internal sealed class RevokeDeliveryHandler(IGrainFactory grains) : IOutboxHandler<RevokeDelivery>
{
    public Task HandleAsync(RevokeDelivery message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<IDeliveryGrain>(message.DeliveryId).RevokeAsync(message.Reason);
}

/// <summary>Passes a line's delivery progress to its order (an order that was never placed, as in some tests, ignores it).</summary>
internal sealed class ReportDeliveryProgressHandler(IGrainFactory grains) : IOutboxHandler<ReportDeliveryProgress>
{
    public Task HandleAsync(ReportDeliveryProgress message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<Courier.Abstractions.Orders.IOrderGrain>(message.OrderId).RecordDeliveryProgressAsync(message.Line, message.Status);
}

internal sealed class EraseDeliveryCustomerHandler(IGrainFactory grains) : IOutboxHandler<EraseDeliveryCustomer>
{
    public Task HandleAsync(EraseDeliveryCustomer message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<IDeliveryGrain>(message.DeliveryId).EraseCustomerAsync(message.Reason);
}
