using Courier.Abstractions.Carts;
using Courier.Abstractions.Runtime;
using Courier.Grains.Carts;
using Courier.Silo.Outbox;

namespace Courier.Silo.Commerce;

internal sealed class ClearMergedCartHandler(IGrainFactory grains) : IOutboxHandler<ClearMergedCart>
{
    public Task HandleAsync(ClearMergedCart message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<ICartGrain>(message.CartId).ClearIfUnchangedAsync(message.Version);
}
