using Orleans.Concurrency;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Inventory;

/// <summary>
/// The stock of one limited product (keyed by product id). Reservations are per order and
/// idempotent: reserving, committing or releasing twice for the same order changes nothing.
/// Never sells more than the limit.
/// </summary>
public interface IInventoryGrain : IGrainWithStringKey
{
    Task SetLimitAsync(int units, int lowStockThreshold);

    Task<ReservationResult> ReserveAsync(string orderId, int quantity, DateTimeOffset expiresAt);

    /// <summary>The order was paid: its reservation becomes a sale.</summary>
    Task<bool> CommitAsync(string orderId);

    /// <summary>The order will not be paid (expired, failed, cancelled): its units return to stock.</summary>
    Task ReleaseAsync(string orderId, string reason);

    [ReadOnly] Task<StockView> GetAsync();
}

public sealed record ReservationResult(bool Reserved, int Available);

public sealed record StockView(string ProductId, int? Limit, int Sold, int Reserved, int Available);
