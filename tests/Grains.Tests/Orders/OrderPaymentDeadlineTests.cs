using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Payments;
using Courier.Grains.Orders;
using Courier.TestSupport;

namespace Courier.Grains.Tests.Orders;

/// <summary>What happens when nobody reports on a payment by its deadline. Each test gets its own silo: they move the clock.</summary>
public sealed class OrderPaymentDeadlineTests : IAsyncLifetime
{
    private readonly CommerceSilo silo = new();

    public Task InitializeAsync() => silo.InitializeAsync();

    public Task DisposeAsync() => silo.DisposeAsync();

    private async Task<(string OrderId, IOrderGrain Order, IInventoryGrain Stock)> PlaceAsync()
    {
        var productId = await silo.NewProductAsync(stockLimit: 5);
        var orderId = CommerceSilo.NewKey("ord");
        var order = silo.Grains.GetGrain<IOrderGrain>(orderId);
        var line = new OrderLineDraft(productId, "aurora-saas", "Aurora SaaS starter", new Money(4_900, "usd"), 2, DeliveryKind.Download, true);
        await order.PlaceAsync(new PlaceOrder("anon_1", null, "ada@example.com", [line], null,
            new Money(9_800, "usd"), new Money(0, "usd"), new Money(9_800, "usd"), silo.Now.AddMinutes(30)));
        return (orderId, order, silo.Grains.GetGrain<IInventoryGrain>(productId));
    }

    [Fact]
    public async Task Deadline_passed_with_an_open_payment_page_asks_the_provider_and_keeps_waiting()
    {
        var (orderId, order, _) = await PlaceAsync();
        await order.AttachPaymentSessionAsync("cs_open", new Uri("https://pay.example/cs_open"), silo.Now.AddMinutes(30));
        var deadlineReminder = Assert.Single(await silo.RemindersAsync<OrderGrain>(orderId));
        Assert.Equal(silo.Now.AddMinutes(30) + OrderGrain.ReconcileGrace, deadlineReminder.DueAt);

        await silo.AdvanceAsync(TimeSpan.FromMinutes(31));

        await Eventually.TrueAsync(() => silo.Reconciliations.Received.Any(r => r.OrderId == orderId), because: "the deadline reminder fires");
        Assert.Equal([new ReconcilePayment(orderId, "cs_open")], await silo.SentByAsync<ReconcilePayment>(orderId));
        Assert.Equal(OrderStatus.PendingPayment, (await order.GetAsync())!.Status);
        var retry = Assert.Single(await silo.RemindersAsync<OrderGrain>(orderId));
        Assert.Equal(silo.Now + OrderGrain.ReconcileRetry, retry.DueAt);
    }

    [Fact]
    public async Task Deadline_passed_without_a_payment_page_expires_the_order()
    {
        var (orderId, order, stock) = await PlaceAsync();

        await silo.AdvanceAsync(TimeSpan.FromMinutes(31));

        await Eventually.TrueAsync(async () => (await order.GetAsync())!.Status == OrderStatus.Expired, because: "the deadline reminder fires");
        var expired = (await order.GetAsync())!;
        Assert.Equal("the payment page was never opened", expired.StatusReason);
        Assert.Equal(0, (await stock.GetAsync()).Reserved);
        Assert.Empty(await silo.SentByAsync<ReconcilePayment>(orderId));
    }

    [Fact]
    public async Task Paid_before_the_deadline_cancels_the_deadline_reminder()
    {
        var (orderId, order, _) = await PlaceAsync();

        await order.ApplyPaymentEventAsync(new PaymentEvent("evt_1", PaymentEventKind.Paid,
            silo.Now, orderId, "cs_1", "pi_1", 9_800, "usd", null));

        Assert.Empty(await silo.RemindersAsync<OrderGrain>(orderId));
    }
}
