using Courier.Abstractions.Inventory;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Inventory;

public sealed class InventoryState
{
    public int? Limit { get; set; }
    public int LowStockThreshold { get; set; }
    public bool LowStockAlerted { get; set; }
    public Dictionary<string, int> Sold { get; set; } = [];
    public Dictionary<string, Reservation> Reservations { get; set; } = [];
}

public sealed record Reservation(int Quantity, DateTimeOffset ExpiresAt);

[Orleans.Alias("StockReserved")]
public sealed record StockReserved(string OrderId, int Quantity, int AvailableAfter) : IJournalEntry;
[Orleans.Alias("StockCommitted")]
public sealed record StockCommitted(string OrderId, int Quantity) : IJournalEntry;
[Orleans.Alias("StockReleased")]
public sealed record StockReleased(string OrderId, int Quantity, string Reason) : IJournalEntry;

public sealed record LowStock(string ProductId, int Available) : LiveEvent
{
    public override string Kind => "lowStock";
    public override IReadOnlyList<string> Topics => ["admin"];
}

[Orleans.GrainType("Courier.Grains.Inventory.InventoryGrain")]
internal sealed class InventoryGrain([GrainContext] IGrainContext<InventoryState> grain) : Grain, IInventoryGrain, IRemindable
{
    private InventoryState State => grain.State;

    public Task SetLimitAsync(int units, int lowStockThreshold)
    {
        State.Limit = units;
        State.LowStockThreshold = lowStockThreshold;
        State.LowStockAlerted = false;
        return Task.CompletedTask;
    }

    public Task<ReservationResult> ReserveAsync(string orderId, int quantity, DateTimeOffset expiresAt)
    {
        if (State.Sold.ContainsKey(orderId))
            return Task.FromResult(new ReservationResult(true, Available()));
        if (State.Reservations.TryGetValue(orderId, out var held))
        {
            if (held.ExpiresAt > grain.Now) return Task.FromResult(new ReservationResult(true, Available()));
            // Its units stopped counting at expiry and may be someone else's by now: compete like a new order.
            ReleaseExpired(orderId, held);
        }
        var available = Available();
        if (quantity > available) return Task.FromResult(new ReservationResult(false, available));

        State.Reservations[orderId] = new Reservation(quantity, expiresAt);
        grain.Journal(new StockReserved(orderId, quantity, available - quantity));
        ScheduleSweep();
        AlertIfLow();
        return Task.FromResult(new ReservationResult(true, available - quantity));
    }

    public Task<bool> CommitAsync(string orderId)
    {
        if (State.Sold.ContainsKey(orderId)) return Task.FromResult(true);
        if (!State.Reservations.TryGetValue(orderId, out var reservation)) return Task.FromResult(false);
        // A reservation past its expiry no longer holds its units (Available() stopped counting it),
        // so it becomes a sale only if they are still free.
        if (reservation.ExpiresAt <= grain.Now && reservation.Quantity > Available())
        {
            ReleaseExpired(orderId, reservation);
            ScheduleSweep();
            return Task.FromResult(false);
        }
        State.Reservations.Remove(orderId);
        State.Sold[orderId] = reservation.Quantity;
        grain.Journal(new StockCommitted(orderId, reservation.Quantity));
        AlertIfLow();
        return Task.FromResult(true);
    }

    public Task ReleaseAsync(string orderId, string reason)
    {
        if (State.Reservations.Remove(orderId, out var reservation))
        {
            grain.Journal(new StockReleased(orderId, reservation.Quantity, reason));
            if (Available() >= State.LowStockThreshold) State.LowStockAlerted = false;
        }
        return Task.CompletedTask;
    }

    public Task<StockView> GetAsync() => Task.FromResult(new StockView(
        grain.Key, State.Limit, State.Sold.Values.Sum(), ActiveReservations(), Available()));

    public Task ReceiveReminder(string name, TickStatus status)
    {
        foreach (var (orderId, reservation) in State.Reservations.Where(r => r.Value.ExpiresAt <= grain.Now).ToList())
            ReleaseExpired(orderId, reservation);
        ScheduleSweep();
        return Task.CompletedTask;
    }

    private void ReleaseExpired(string orderId, Reservation reservation)
    {
        State.Reservations.Remove(orderId);
        grain.Journal(new StockReleased(orderId, reservation.Quantity, "reservation expired"));
    }

    private int ActiveReservations() => State.Reservations.Values.Where(r => r.ExpiresAt > grain.Now).Sum(r => r.Quantity);

    private int Available() => State.Limit is { } limit ? Math.Max(0, limit - State.Sold.Values.Sum() - ActiveReservations()) : int.MaxValue;

    private void ScheduleSweep()
    {
        if (State.Reservations.Count == 0)
        {
            grain.CancelReminder("sweep");
            return;
        }
        grain.Remind("sweep", State.Reservations.Values.Min(r => r.ExpiresAt) + TimeSpan.FromSeconds(1));
    }

    private void AlertIfLow()
    {
        var available = Available();
        if (State.Limit is null || State.LowStockAlerted || available >= State.LowStockThreshold) return;
        State.LowStockAlerted = true;
        grain.Publish(new LowStock(grain.Key, available));
    }
}
