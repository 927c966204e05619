using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Payments;
using Courier.Grains.Deliveries;
using Courier.Grains.Mail;
using Courier.Grains.Orders;
using Courier.TestSupport;

namespace Courier.Grains.Tests.Orders;

public sealed class OrderGrainTests(CommerceSilo silo) : IClassFixture<CommerceSilo>
{
    private const string Email = "ada@example.com";
    private static Money Usd(long amount) => new(amount, "usd");

    private sealed record Placed(string OrderId, IOrderGrain Order, string ProductId, IInventoryGrain Stock, string CartId, PlaceOrderResult Result);

    private static OrderLineDraft Line(string productId, int quantity, long price = 4_900, string title = "Aurora SaaS starter") =>
        new(productId, "aurora-saas", title, Usd(price), quantity, DeliveryKind.Download, StockLimited: true);

    private PlaceOrder Order(string cartId, params OrderLineDraft[] lines)
    {
        var subtotal = lines.Aggregate(Usd(0), (sum, l) => sum.Plus(l.UnitPrice.Times(l.Quantity)));
        return new PlaceOrder(cartId, null, Email, lines, null, subtotal, Usd(0), subtotal, silo.Now.AddMinutes(30));
    }

    /// <summary>A pending order for 2 × 49.00 USD of a product with <paramref name="stock"/> units.</summary>
    private async Task<Placed> PlaceAsync(int stock = 5, int quantity = 2)
    {
        var productId = await silo.NewProductAsync(stockLimit: stock);
        var orderId = CommerceSilo.NewKey("ord");
        var cartId = CommerceSilo.NewKey("anon");
        var order = silo.Grains.GetGrain<IOrderGrain>(orderId);
        var result = await order.PlaceAsync(Order(cartId, Line(productId, quantity)));
        return new Placed(orderId, order, productId, silo.Grains.GetGrain<IInventoryGrain>(productId), cartId, result);
    }

    private PaymentEvent Event(string orderId, PaymentEventKind kind, long? amount = 9_800, string? id = null, string? detail = null) =>
        new(id ?? CommerceSilo.NewKey("evt"), kind, silo.Now, kind is PaymentEventKind.Refunded or PaymentEventKind.Disputed ? null : orderId,
            "cs_test", "pi_test", amount, "usd", detail);

    private async Task<IReadOnlyList<SendEmail>> MailAsync(string orderId, string kind) =>
        [.. (await silo.SentByAsync<SendEmail>(orderId)).Where(m => m.Kind == kind)];

    [Fact]
    public async Task Place_reserves_stock_and_waits_for_payment()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        Assert.True(placed.Result.Placed);
        Assert.Null(placed.Result.SoldOut);
        Assert.Equal(OrderStatus.PendingPayment, placed.Result.Order.Status);
        Assert.Equal(Usd(9_800), placed.Result.Order.Total);
        Assert.Equal("awaitingPayment", Assert.Single(placed.Result.Order.Lines).Delivery);
        Assert.Equal(new StockView(placed.ProductId, 5, 0, 2, 3), await placed.Stock.GetAsync());
    }

    [Fact]
    public async Task Place_twice_returns_the_first_result_and_reserves_once()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        var again = await placed.Order.PlaceAsync(Order(placed.CartId, Line(placed.ProductId, 3)));

        Assert.Equal(OrderStatus.PendingPayment, again.Order.Status);
        Assert.Equal(2, Assert.Single(again.Order.Lines).Quantity);
        Assert.Equal(2, (await placed.Stock.GetAsync()).Reserved);
    }

    [Fact]
    public async Task Place_with_a_sold_out_line_cancels_and_releases_the_other_lines()
    {
        var plenty = await silo.NewProductAsync(stockLimit: 5);
        var scarce = await silo.NewProductAsync(stockLimit: 1);
        var order = silo.Grains.GetGrain<IOrderGrain>(CommerceSilo.NewKey("ord"));

        var result = await order.PlaceAsync(Order(CommerceSilo.NewKey("anon"), Line(plenty, 2), Line(scarce, 2, title: "Nova license")));

        Assert.False(result.Placed);
        Assert.Equal(OrderStatus.Cancelled, result.Order.Status);
        Assert.Equal(new SoldOutLine(scarce, "Nova license", 2, 1), result.SoldOut);
        Assert.Equal("only 1 of Nova license left, 2 requested", result.Order.StatusReason);
        Assert.Equal(new StockView(plenty, 5, 0, 0, 5), await silo.Grains.GetGrain<IInventoryGrain>(plenty).GetAsync());
        Assert.Equal(new StockView(scarce, 1, 0, 0, 1), await silo.Grains.GetGrain<IInventoryGrain>(scarce).GetAsync());
    }

    [Fact]
    public async Task PlaceWithPaymentSession_opens_an_order_without_stock_and_its_payment_page_in_one_commit()
    {
        var productId = await silo.NewProductAsync(stockLimit: null);
        var orderId = CommerceSilo.NewKey("ord");
        var order = silo.Grains.GetGrain<IOrderGrain>(orderId);
        var draft = Order(CommerceSilo.NewKey("anon"), Line(productId, 1) with { StockLimited = false });

        var first = await order.PlaceWithPaymentSessionAsync(draft, "cs_early", new Uri("https://pay.example/cs_early"), silo.Now.AddMinutes(30));
        var again = await order.PlaceWithPaymentSessionAsync(draft, "cs_early", new Uri("https://pay.example/cs_early"), silo.Now.AddMinutes(30));

        Assert.Equal(OrderStatus.PendingPayment, first.Order.Status);
        Assert.Equal("cs_early", first.Order.Payment.SessionId);
        Assert.Equal(new Uri("https://pay.example/cs_early"), again.Order.Payment.RedirectUrl);
        var journal = await silo.JournalAsync<OrderGrain>(orderId);
        Assert.Equal(2, journal.Count); // "checkout started" and "payment page opened", once each
        Assert.Single(journal.Select(e => e.Version).Distinct());
    }

    [Fact]
    public async Task PlaceWithPaymentSession_refuses_an_order_that_holds_stock()
    {
        var productId = await silo.NewProductAsync(stockLimit: 3);
        var orderId = CommerceSilo.NewKey("ord");
        var order = silo.Grains.GetGrain<IOrderGrain>(orderId);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            order.PlaceWithPaymentSessionAsync(Order(CommerceSilo.NewKey("anon"), Line(productId, 1)), "cs_early", new Uri("https://pay.example/cs_early"), silo.Now.AddMinutes(30)));

        Assert.Null(await order.GetAsync());
        Assert.Equal(0, (await silo.Grains.GetGrain<IInventoryGrain>(productId).GetAsync()).Reserved);
    }

    [Fact]
    public async Task Order_is_fulfilled_when_every_line_is_ready_and_completed_when_every_line_is_complete_in_any_order()
    {
        var productId = await silo.NewProductAsync(stockLimit: null);
        var orderId = CommerceSilo.NewKey("ord");
        var order = silo.Grains.GetGrain<IOrderGrain>(orderId);
        await order.PlaceAsync(Order(CommerceSilo.NewKey("anon"), Line(productId, 1), Line(productId, 1, title: "Second")));
        await order.ApplyPaymentEventAsync(Event(orderId, PaymentEventKind.Paid));

        await order.RecordDeliveryProgressAsync(2, DeliveryStatus.Completed); // arrives before its Ready
        Assert.Equal(OrderStatus.Fulfilling, (await order.GetAsync())!.Status);
        await order.RecordDeliveryProgressAsync(1, DeliveryStatus.Ready);
        Assert.Equal(OrderStatus.Fulfilled, (await order.GetAsync())!.Status);
        await order.RecordDeliveryProgressAsync(2, DeliveryStatus.Ready); // late and behind: ignored
        await order.RecordDeliveryProgressAsync(1, DeliveryStatus.Downloaded);
        Assert.Equal(OrderStatus.Fulfilled, (await order.GetAsync())!.Status);
        await order.RecordDeliveryProgressAsync(1, DeliveryStatus.Completed);
        await order.RecordDeliveryProgressAsync(1, DeliveryStatus.Completed); // a repeat

        Assert.Equal(OrderStatus.Completed, (await order.GetAsync())!.Status);
        var steps = (await silo.JournalAsync<OrderGrain>(orderId)).Where(e => e.Kind == "OrderStepped")
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<OrderStepped>(e.DataJson, Courier.Silo.Grains.GrainJson.Options)!.To).ToList();
        Assert.Equal([OrderStatus.Fulfilled, OrderStatus.Completed], steps.SkipWhile(s => s != OrderStatus.Fulfilled));
        Assert.Single(steps, OrderStatus.Completed);
    }

    [Fact]
    public async Task Delivery_progress_for_an_unpaid_or_unknown_order_changes_nothing()
    {
        var placed = await PlaceAsync();
        await placed.Order.RecordDeliveryProgressAsync(1, DeliveryStatus.Ready);
        await silo.Grains.GetGrain<IOrderGrain>(CommerceSilo.NewKey("ord")).RecordDeliveryProgressAsync(1, DeliveryStatus.Ready);

        Assert.Equal(OrderStatus.PendingPayment, (await placed.Order.GetAsync())!.Status);
        Assert.Null(await silo.Grains.GetGrain<IOrderGrain>(CommerceSilo.NewKey("ord")).GetAsync());
    }

    [Fact]
    public async Task Place_without_lines_is_409()
    {
        var order = silo.Grains.GetGrain<IOrderGrain>(CommerceSilo.NewKey("ord"));

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => order.PlaceAsync(Order("anon_x")));

        Assert.Equal("empty-cart", error.Code);
        Assert.Null(await order.GetAsync());
    }

    [Fact]
    public async Task Paid_moves_to_fulfilling_commits_stock_sends_one_receipt_and_empties_the_cart()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.Fulfilling, order.Status);
        Assert.Equal(silo.Now, order.Payment.PaidAt);
        Assert.Equal("pi_test", order.Payment.PaymentIntentId);
        Assert.Equal("readyForDelivery", Assert.Single(order.Lines).Delivery);
        Assert.Equal(new StockView(placed.ProductId, 5, 2, 0, 3), await placed.Stock.GetAsync());
        var receipt = Assert.Single(await MailAsync(placed.OrderId, "receipt"));
        Assert.Equal(Email, receipt.To);
        Assert.Equal($"Your receipt for order {placed.OrderId}", receipt.Subject);
        Assert.Contains("Total paid: 98.00 USD", receipt.TextBody, StringComparison.Ordinal);
        Assert.Equal([new EmptyCheckedOutCart(placed.CartId, placed.OrderId)], await silo.SentByAsync<EmptyCheckedOutCart>(placed.OrderId));
        await Eventually.TrueAsync(() => silo.Mail.Received.Any(m => m.OrderId == placed.OrderId && m.Kind == "receipt"),
            because: "the receipt is handed to the mailer");
    }

    [Fact]
    public async Task Paid_starts_one_delivery_per_line_once()
    {
        var download = await silo.NewProductAsync(stockLimit: 5);
        var licence = await silo.NewProductAsync();
        var orderId = CommerceSilo.NewKey("ord");
        var order = silo.Grains.GetGrain<IOrderGrain>(orderId);
        await order.PlaceAsync(Order(CommerceSilo.NewKey("anon"), Line(download, 2), Line(licence, 1, title: "Nova license") with { DeliveryKind = DeliveryKind.LicenseKey }));
        var paid = Event(orderId, PaymentEventKind.Paid, amount: 14_700);

        await order.ApplyPaymentEventAsync(paid);
        await order.ApplyPaymentEventAsync(paid);

        Assert.Equal(
            [new StartDelivery(orderId, 1, download, "Aurora SaaS starter", DeliveryKind.Download, null, Email, paid.OccurredAt),
             new StartDelivery(orderId, 2, licence, "Nova license", DeliveryKind.LicenseKey, null, Email, paid.OccurredAt)],
            (await silo.SentByAsync<StartDelivery>(orderId)).OrderBy(s => s.Line));
        Assert.Equal($"{orderId}:2", new StartDelivery(orderId, 2, licence, "Nova license", DeliveryKind.LicenseKey, null, Email, paid.OccurredAt).DeliveryId);
    }

    [Fact]
    public async Task Paid_event_delivered_three_times_sends_one_receipt()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        var paid = Event(placed.OrderId, PaymentEventKind.Paid);

        for (var i = 0; i < 3; i++) await placed.Order.ApplyPaymentEventAsync(paid);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid)); // the same news through reconciliation

        Assert.Equal(OrderStatus.Fulfilling, (await placed.Order.GetAsync())!.Status);
        Assert.Single(await MailAsync(placed.OrderId, "receipt"));
        Assert.Single(await silo.SentByAsync<EmptyCheckedOutCart>(placed.OrderId));
        Assert.Equal(new StockView(placed.ProductId, 5, 2, 0, 3), await placed.Stock.GetAsync());
    }

    public static TheoryData<PaymentEventKind[]> EventOrders() => new()
    {
        new[] { PaymentEventKind.AwaitingPayment, PaymentEventKind.Paid, PaymentEventKind.SessionExpired },
        new[] { PaymentEventKind.AwaitingPayment, PaymentEventKind.SessionExpired, PaymentEventKind.Paid },
        new[] { PaymentEventKind.Paid, PaymentEventKind.AwaitingPayment, PaymentEventKind.SessionExpired },
        new[] { PaymentEventKind.Paid, PaymentEventKind.SessionExpired, PaymentEventKind.AwaitingPayment },
        new[] { PaymentEventKind.SessionExpired, PaymentEventKind.AwaitingPayment, PaymentEventKind.Paid },
        new[] { PaymentEventKind.SessionExpired, PaymentEventKind.Paid, PaymentEventKind.AwaitingPayment },
        new[] { PaymentEventKind.PaymentAttemptFailed, PaymentEventKind.Paid, PaymentEventKind.PaymentAttemptFailed },
    };

    [Theory]
    [MemberData(nameof(EventOrders))]
    public async Task Payment_events_in_any_order_end_fulfilling_with_one_receipt(PaymentEventKind[] arrivalOrder)
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        foreach (var kind in arrivalOrder) await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, kind));

        Assert.Equal(OrderStatus.Fulfilling, (await placed.Order.GetAsync())!.Status);
        Assert.Single(await MailAsync(placed.OrderId, "receipt"));
        Assert.Single(await silo.SentByAsync<EmptyCheckedOutCart>(placed.OrderId));
        Assert.Equal(new StockView(placed.ProductId, 5, 2, 0, 3), await placed.Stock.GetAsync());
    }

    [Fact]
    public async Task PaymentFailed_releases_stock_and_sends_payment_failed_mail()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.PaymentFailed, detail: "Insufficient funds"));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.PaymentFailed, order.Status);
        Assert.Equal("payment failed: Insufficient funds", order.StatusReason);
        Assert.Equal(new StockView(placed.ProductId, 5, 0, 0, 5), await placed.Stock.GetAsync());
        var mail = Assert.Single(await MailAsync(placed.OrderId, "payment-failed"));
        Assert.Equal(Email, mail.To);
        Assert.Contains("The bank said: Insufficient funds.", mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(await MailAsync(placed.OrderId, "receipt"));
    }

    [Fact]
    public async Task Paid_after_expiry_with_stock_left_reserves_again_and_fulfils()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.SessionExpired));
        var afterExpiry = await placed.Stock.GetAsync();

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));

        Assert.Equal(0, afterExpiry.Reserved);
        Assert.Equal(OrderStatus.Fulfilling, (await placed.Order.GetAsync())!.Status);
        Assert.Equal(new StockView(placed.ProductId, 5, 2, 0, 3), await placed.Stock.GetAsync());
        Assert.Single(await MailAsync(placed.OrderId, "receipt"));
    }

    [Fact]
    public async Task Paid_after_expiry_when_sold_out_meanwhile_puts_the_order_on_hold()
    {
        var placed = await PlaceAsync(stock: 2, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.SessionExpired));
        await placed.Stock.ReserveAsync("ord_someone_else", 2, silo.Now.AddMinutes(30));

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.OnHold, order.Status);
        Assert.Equal("paid, but Aurora SaaS starter sold out meanwhile: refund or restock", order.StatusReason);
        Assert.Equal(new StockView(placed.ProductId, 2, 0, 2, 0), await placed.Stock.GetAsync());
        Assert.Empty(await MailAsync(placed.OrderId, "receipt"));
    }

    [Fact]
    public async Task Paid_with_an_amount_other_than_the_total_puts_the_order_on_hold()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid, amount: 1_000));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.OnHold, order.Status);
        Assert.Equal("paid 10.00 USD but the order total is 98.00 USD", order.StatusReason);
        Assert.Equal(0, (await placed.Stock.GetAsync()).Sold);
        Assert.Empty(await MailAsync(placed.OrderId, "receipt"));
    }

    [Fact]
    public async Task Refunds_partial_then_full_keep_a_running_total_and_ignore_duplicates()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));
        var partial = Event(placed.OrderId, PaymentEventKind.Refunded, amount: 4_900);

        await placed.Order.ApplyPaymentEventAsync(partial);
        var afterPartial = (await placed.Order.GetAsync())!;
        var timelineAfterPartial = (await silo.JournalAsync<OrderGrain>(placed.OrderId)).Count;
        await placed.Order.ApplyPaymentEventAsync(partial);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Refunded, amount: 4_900));
        var afterDuplicates = (await placed.Order.GetAsync())!;
        var timelineAfterDuplicates = (await silo.JournalAsync<OrderGrain>(placed.OrderId)).Count;
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Refunded, amount: 9_800));
        await placed.Order.ApplyPaymentEventAsync(partial with { EventId = CommerceSilo.NewKey("evt") }); // a stale total arriving late
        var afterFull = (await placed.Order.GetAsync())!;

        Assert.Equal(OrderStatus.PartiallyRefunded, afterPartial.Status);
        Assert.Equal(Usd(4_900), afterPartial.Payment.Refunded);
        Assert.Equal("49.00 USD refunded in total", afterPartial.StatusReason);
        Assert.Equal((afterPartial.Status, afterPartial.Payment.Refunded, afterPartial.StatusReason),
            (afterDuplicates.Status, afterDuplicates.Payment.Refunded, afterDuplicates.StatusReason));
        Assert.Equal(timelineAfterPartial, timelineAfterDuplicates);
        Assert.Equal(OrderStatus.Refunded, afterFull.Status);
        Assert.Equal(Usd(9_800), afterFull.Payment.Refunded);
        Assert.Equal("revoked", Assert.Single(afterFull.Lines).Delivery);
        await Eventually.TrueAsync(() => silo.DeliveriesToRevoke.Received.Any(r => r.DeliveryId == $"{placed.OrderId}:1"),
            because: "a full refund revokes the order's delivery");
        // One revoke, sent by the full refund; the partial refund, committed earlier, sent none.
        Assert.Equal("the order was refunded", Assert.Single(silo.DeliveriesToRevoke.Received, r => r.DeliveryId.StartsWith(placed.OrderId, StringComparison.Ordinal)).Reason);
    }

    [Fact]
    public async Task Disputed_puts_a_paid_order_on_hold()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Disputed, detail: "fraudulent"));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.OnHold, order.Status);
        Assert.Equal("the customer's bank opened a dispute: fraudulent", order.StatusReason);
    }

    [Fact]
    public async Task Refund_of_a_disputed_order_on_hold_moves_it_to_refunded()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Disputed, detail: "fraudulent"));

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Refunded, amount: 9_800));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(9_800, order.Payment.Refunded.Amount);
    }

    [Fact]
    public async Task Refund_reported_for_an_order_on_hold_that_was_never_paid_is_ignored()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Disputed, detail: "fraudulent"));

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Refunded, amount: 9_800));

        Assert.Equal(OrderStatus.OnHold, (await placed.Order.GetAsync())!.Status);
    }

    [Fact]
    public async Task Cancel_unpaid_order_releases_its_stock()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);

        var cancelled = await placed.Order.CancelAsync("changed my mind");
        var again = await placed.Order.CancelAsync("changed my mind");

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal("changed my mind", cancelled.StatusReason);
        Assert.Equal(OrderStatus.Cancelled, again.Status);
        Assert.Equal(new StockView(placed.ProductId, 5, 0, 0, 5), await placed.Stock.GetAsync());
    }

    [Fact]
    public async Task Cancel_paid_order_is_409()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => placed.Order.CancelAsync("too late"));

        Assert.Equal("order-not-cancellable", error.Code);
        Assert.Equal(409, error.Status);
        Assert.Equal(OrderStatus.Fulfilling, (await placed.Order.GetAsync())!.Status);
    }

    [Fact]
    public async Task Cancel_with_an_open_payment_page_asks_the_provider_where_it_stands()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.AttachPaymentSessionAsync("cs_open", new Uri("https://pay.example/cs_open"), silo.Now.AddMinutes(30));

        await placed.Order.CancelAsync("changed my mind");

        Assert.Equal([new ReconcilePayment(placed.OrderId, "cs_open")], await silo.SentByAsync<ReconcilePayment>(placed.OrderId));
    }

    [Fact]
    public async Task Paid_after_cancel_puts_the_order_on_hold()
    {
        var placed = await PlaceAsync(stock: 5, quantity: 2);
        await placed.Order.CancelAsync("changed my mind");

        await placed.Order.ApplyPaymentEventAsync(Event(placed.OrderId, PaymentEventKind.Paid));

        var order = (await placed.Order.GetAsync())!;
        Assert.Equal(OrderStatus.OnHold, order.Status);
        Assert.Equal("paid after the order was cancelled: refund or fulfil it by hand", order.StatusReason);
        Assert.Empty(await MailAsync(placed.OrderId, "receipt"));
    }
}
