using Courier.Abstractions.Runtime;
using Courier.Abstractions.SiteAccess;
using Courier.Grains.SiteAccess;
using Courier.Silo.Outbox;

namespace Courier.Silo.SiteAccess;

/// <summary>A revoked delivery withdraws its site access.</summary>
internal sealed class RevokeSiteAccessHandler(IGrainFactory grains) : IOutboxHandler<RevokeSiteAccess>
{
    public Task HandleAsync(RevokeSiteAccess message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<ISiteAccessGrain>(message.DeliveryId).RevokeAsync(message.Reason);
}

/// <summary>Deletes an account at the host that made it; a failure throws, so the outbox retries (and dead-letters it for an admin in the end).</summary>
internal sealed class RemoveSiteAccountHandler(SiteHosts hosts) : IOutboxHandler<RemoveSiteAccount>
{
    public Task HandleAsync(RemoveSiteAccount message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        hosts.Named(message.Host).RemoveAsync(
            new SiteAccountReference(message.DeliveryId, message.OrderId, message.ProductId, message.Account, Username: null), cancellationToken);
}
