using System.Collections.Concurrent;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Live;
using Courier.Grains.Inventory;
using Courier.TestSupport;

namespace Courier.Grains.Tests.Inventory;

public sealed class InventoryGrainTests(CommerceSilo silo) : IClassFixture<CommerceSilo>
{
    private async Task<(string Id, IInventoryGrain Grain)> StockAsync(int units, int lowStockThreshold = 1)
    {
        var id = CommerceSilo.NewKey("prod");
        var inventory = silo.Grains.GetGrain<IInventoryGrain>(id);
        await inventory.SetLimitAsync(units, lowStockThreshold);
        return (id, inventory);
    }

    private DateTimeOffset InTenMinutes => silo.Now.AddMinutes(10);

    [Fact]
    public async Task Reserve_200_concurrent_orders_for_20_units_exactly_20_succeed()
    {
        var (_, inventory) = await StockAsync(20);

        var results = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => inventory.ReserveAsync($"ord_{i}", 1, InTenMinutes))));

        Assert.Equal(20, results.Count(r => r.Reserved));
        Assert.All(results.Where(r => !r.Reserved), r => Assert.Equal(0, r.Available));
        var stock = await inventory.GetAsync();
        Assert.Equal(20, stock.Reserved);
        Assert.Equal(0, stock.Available);
    }

    [Fact]
    public async Task Reserve_more_than_available_is_refused_with_what_is_left()
    {
        var (_, inventory) = await StockAsync(3);

        var result = await inventory.ReserveAsync("ord_1", 4, InTenMinutes);

        Assert.Equal(new ReservationResult(false, 3), result);
        Assert.Equal(0, (await inventory.GetAsync()).Reserved);
    }

    [Fact]
    public async Task Reserve_same_order_twice_holds_units_once()
    {
        var (_, inventory) = await StockAsync(5);

        var first = await inventory.ReserveAsync("ord_1", 2, InTenMinutes);
        var again = await inventory.ReserveAsync("ord_1", 2, InTenMinutes);

        Assert.Equal(new ReservationResult(true, 3), first);
        Assert.Equal(new ReservationResult(true, 3), again);
        Assert.Equal(2, (await inventory.GetAsync()).Reserved);
    }

    [Fact]
    public async Task Commit_turns_the_reservation_into_a_sale_once()
    {
        var (id, inventory) = await StockAsync(5);
        await inventory.ReserveAsync("ord_1", 2, InTenMinutes);

        var first = await inventory.CommitAsync("ord_1");
        var again = await inventory.CommitAsync("ord_1");
        var reserveAfterSale = await inventory.ReserveAsync("ord_1", 2, InTenMinutes);

        Assert.True(first);
        Assert.True(again);
        Assert.True(reserveAfterSale.Reserved);
        Assert.Equal(new StockView(id, 5, 2, 0, 3), await inventory.GetAsync());
    }

    [Fact]
    public async Task Commit_without_reservation_returns_false()
    {
        var (id, inventory) = await StockAsync(5);

        var committed = await inventory.CommitAsync("ord_unknown");

        Assert.False(committed);
        Assert.Equal(new StockView(id, 5, 0, 0, 5), await inventory.GetAsync());
    }

    [Fact]
    public async Task Release_restores_the_units_and_twice_changes_nothing()
    {
        var (id, inventory) = await StockAsync(5);
        await inventory.ReserveAsync("ord_1", 2, InTenMinutes);
        await inventory.ReserveAsync("ord_2", 1, InTenMinutes);

        await inventory.ReleaseAsync("ord_1", "cancelled");
        await inventory.ReleaseAsync("ord_1", "cancelled");

        Assert.Equal(new StockView(id, 5, 0, 1, 4), await inventory.GetAsync());
        var released = (await silo.JournalAsync<InventoryGrain>(id)).Where(e => e.Kind.Contains(nameof(StockReleased), StringComparison.Ordinal));
        Assert.Single(released);
    }

    [Fact]
    public async Task Release_after_commit_keeps_the_sale()
    {
        var (id, inventory) = await StockAsync(5);
        await inventory.ReserveAsync("ord_1", 2, InTenMinutes);
        await inventory.CommitAsync("ord_1");

        await inventory.ReleaseAsync("ord_1", "too late");

        Assert.Equal(new StockView(id, 5, 2, 0, 3), await inventory.GetAsync());
    }

    [Fact]
    public async Task Reservation_past_its_expiry_stops_counting_and_is_swept()
    {
        var (id, inventory) = await StockAsync(10);
        await inventory.ReserveAsync("ord_1", 4, InTenMinutes);
        var held = await inventory.GetAsync();

        await silo.AdvanceAsync(TimeSpan.FromMinutes(10));
        var expired = await inventory.GetAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(6, held.Available);
        Assert.Equal(new StockView(id, 10, 0, 0, 10), expired);
        await Eventually.TrueAsync(async () => (await silo.JournalAsync<InventoryGrain>(id))
            .Any(e => e.Kind.Contains(nameof(StockReleased), StringComparison.Ordinal) && e.DataJson.Contains("reservation expired", StringComparison.Ordinal)),
            because: "the sweep reminder releases the expired reservation");
        Assert.Equal(new StockView(id, 10, 0, 0, 10), await inventory.GetAsync());
    }

    [Fact]
    public async Task Reserve_below_low_stock_threshold_publishes_low_stock_once()
    {
        var (id, inventory) = await StockAsync(10, lowStockThreshold: 3);
        var alerts = new ConcurrentQueue<LiveUpdate>();
        using var subscription = silo.Silo.LiveUpdates.Subscribe(update =>
        {
            if (update.Kind == "lowStock" && update.Source.EndsWith("/" + id, StringComparison.Ordinal)) alerts.Enqueue(update);
            return ValueTask.CompletedTask;
        });

        await inventory.ReserveAsync("ord_1", 7, InTenMinutes); // 3 left: at the threshold, not below
        var atThreshold = alerts.Count;
        await inventory.ReserveAsync("ord_2", 1, InTenMinutes); // 2 left
        await inventory.ReserveAsync("ord_3", 1, InTenMinutes); // 1 left
        await inventory.ReserveAsync("ord_4", 1, InTenMinutes); // 0 left

        Assert.Equal(0, atThreshold);
        var alert = Assert.Single(alerts);
        Assert.Equal(["admin"], alert.Topics);
        Assert.Equal(2, alert.Data.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Reserve_again_after_own_reservation_expired_competes_and_never_oversells()
    {
        var (id, inventory) = await StockAsync(3);
        await inventory.ReserveAsync("ord_late", 3, silo.Now.AddMinutes(1));
        await silo.AdvanceAsync(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(500)); // expired, not yet swept
        await inventory.ReserveAsync("ord_next", 3, InTenMinutes);

        var lateReserve = await inventory.ReserveAsync("ord_late", 3, InTenMinutes);
        var lateCommit = await inventory.CommitAsync("ord_late");

        Assert.Equal(new ReservationResult(false, 0), lateReserve);
        Assert.False(lateCommit);
        Assert.Equal(new StockView(id, 3, 0, 3, 0), await inventory.GetAsync());
        Assert.True(await inventory.CommitAsync("ord_next"));
    }

    [Fact]
    public async Task Reserve_again_after_own_reservation_expired_gets_units_still_free()
    {
        var (id, inventory) = await StockAsync(3);
        await inventory.ReserveAsync("ord_late", 2, silo.Now.AddMinutes(1));
        await silo.AdvanceAsync(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(500));

        var lateReserve = await inventory.ReserveAsync("ord_late", 2, InTenMinutes);
        await silo.AdvanceAsync(TimeSpan.FromMinutes(1)); // past the old expiry and its sweep
        var stillHeld = await inventory.GetAsync();

        Assert.Equal(new ReservationResult(true, 1), lateReserve);
        Assert.Equal(new StockView(id, 3, 0, 2, 1), stillHeld);
        Assert.True(await inventory.CommitAsync("ord_late"));
        Assert.Equal(new StockView(id, 3, 2, 0, 1), await inventory.GetAsync());
    }

    [Fact]
    public async Task Commit_after_reservation_expired_and_units_taken_returns_false()
    {
        var (id, inventory) = await StockAsync(3);
        await inventory.ReserveAsync("ord_late", 3, silo.Now.AddMinutes(1));
        await silo.AdvanceAsync(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(500));
        await inventory.ReserveAsync("ord_next", 3, InTenMinutes);

        var lateCommit = await inventory.CommitAsync("ord_late");

        Assert.False(lateCommit);
        Assert.Equal(new StockView(id, 3, 0, 3, 0), await inventory.GetAsync());
    }

    [Fact]
    public async Task Commit_after_reservation_expired_with_units_still_free_sells_them()
    {
        var (id, inventory) = await StockAsync(3);
        await inventory.ReserveAsync("ord_late", 2, silo.Now.AddMinutes(1));
        await silo.AdvanceAsync(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(500));

        var lateCommit = await inventory.CommitAsync("ord_late");

        Assert.True(lateCommit);
        Assert.Equal(new StockView(id, 3, 2, 0, 1), await inventory.GetAsync());
    }
}
