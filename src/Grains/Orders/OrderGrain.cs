using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Payments;
using Courier.Abstractions.Runtime;
using Courier.Grains.Deliveries;
using Courier.Grains.Mail;

namespace Courier.Grains.Orders;

public sealed class OrderState
{
    public OrderStatus Status { get; set; }
    public PlaceOrder? Placed { get; set; }
    public SoldOutLine? SoldOut { get; set; }
    public string? StatusReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? SessionId { get; set; }
    public Uri? RedirectUrl { get; set; }
    public DateTimeOffset? SessionExpiresAt { get; set; }
    public string? PaymentIntentId { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public long Refunded { get; set; }
    public bool PaymentReceived { get; set; }
    public bool StockHeld { get; set; }
    public int ReconcileAttempts { get; set; }
    public HashSet<string> AppliedEvents { get; set; } = [];

    /// <summary>The furthest each line's delivery got (Ready, Downloaded, Completed), by line number.</summary>
    public Dictionary<int, DeliveryStatus> Deliveries { get; set; } = [];
}

/// <summary>The orders read model: one row per order for lists, search and webhook matching.</summary>
public sealed record OrderRow(
    string Id, string? AccountId, string Email, OrderStatus Status, long Total, string Currency,
    string? SessionId, string? PaymentIntentId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : ReadModelRow
{
    public override string RowKey => Id;
}

[Orleans.GrainType("Courier.Grains.Orders.OrderGrain")]
internal sealed class OrderGrain([GrainContext] IGrainContext<OrderState> grain) : Grain, IOrderGrain, IRemindable
{
    public static readonly TimeSpan ReconcileGrace = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ReconcileRetry = TimeSpan.FromMinutes(2);
    public const int MaxReconcileAttempts = 10;
    private const string PaymentDeadline = "payment-deadline";

    private OrderState State => grain.State;

    public async Task<PlaceOrderResult> PlaceAsync(PlaceOrder order)
    {
        if (State.Status != OrderStatus.None) return Result();
        if (order.Lines.Count == 0) throw new RuleViolationException("empty-cart", "An order needs at least one line.", 409);
        State.Placed = order;
        State.CreatedAt = grain.Now;

        var reserved = new List<string>();
        foreach (var line in order.Lines.Where(l => l.StockLimited))
        {
            var inventory = grain.Grains.GetGrain<IInventoryGrain>(line.ProductId);
            var reservation = await inventory.ReserveAsync(grain.Key, line.Quantity, order.PaymentDeadline);
            if (reservation.Reserved)
            {
                reserved.Add(line.ProductId);
                continue;
            }
            foreach (var productId in reserved)
                await grain.Grains.GetGrain<IInventoryGrain>(productId).ReleaseAsync(grain.Key, "another line sold out");
            State.SoldOut = new SoldOutLine(line.ProductId, line.Title, line.Quantity, reservation.Available);
            MoveTo(OrderStatus.Cancelled, reservation.Available == 0
                ? $"{line.Title} sold out before checkout"
                : $"only {reservation.Available} of {line.Title} left, {line.Quantity} requested");
            return Result();
        }

        State.StockHeld = reserved.Count > 0;
        MoveTo(OrderStatus.PendingPayment, "checkout started");
        grain.Remind(PaymentDeadline, order.PaymentDeadline + ReconcileGrace);
        return Result();
    }

    public async Task<PlaceOrderResult> PlaceWithPaymentSessionAsync(PlaceOrder order, string sessionId, Uri redirectUrl, DateTimeOffset expiresAt)
    {
        if (order.Lines.Any(l => l.StockLimited))
            throw new InvalidOperationException($"Order {grain.Key} holds stock: place it first, then open its payment page, so a sold-out line opens none.");
        await PlaceAsync(order);
        if (State.Status == OrderStatus.PendingPayment)
            await AttachPaymentSessionAsync(sessionId, redirectUrl, expiresAt);
        return Result();
    }

    public Task AttachPaymentSessionAsync(string sessionId, Uri redirectUrl, DateTimeOffset expiresAt)
    {
        if (State.SessionId == sessionId) return Task.CompletedTask;
        if (State.Status != OrderStatus.PendingPayment)
            throw new RuleViolationException("order-not-payable", $"Order {grain.Key} is {State.Status} and cannot take a payment session.", 409);
        State.SessionId = sessionId;
        State.RedirectUrl = redirectUrl;
        State.SessionExpiresAt = expiresAt;
        grain.Journal(new OrderNoted("Payment page opened", grain.Now));
        if (expiresAt != State.Placed!.PaymentDeadline) grain.Remind(PaymentDeadline, expiresAt + ReconcileGrace);
        Changed();
        return Task.CompletedTask;
    }

    public async Task ApplyPaymentEventAsync(PaymentEvent paymentEvent)
    {
        if (State.Status == OrderStatus.None || !State.AppliedEvents.Add(paymentEvent.EventId)) return;
        if (paymentEvent.PaymentIntentId is { } intent) State.PaymentIntentId ??= intent;

        switch (paymentEvent.Kind)
        {
            case PaymentEventKind.Paid:
                await MarkPaid(paymentEvent);
                break;
            case PaymentEventKind.AwaitingPayment when State.Status == OrderStatus.PendingPayment:
                Note("Payment submitted; the bank is still confirming it");
                break;
            case PaymentEventKind.PaymentAttemptFailed when State.Status == OrderStatus.PendingPayment:
                Note($"A payment attempt was declined{Reason(paymentEvent)}; the customer can try again");
                break;
            case PaymentEventKind.PaymentFailed when State.Status == OrderStatus.PendingPayment:
                await ReleaseStock("payment failed");
                MoveTo(OrderStatus.PaymentFailed, $"payment failed{Reason(paymentEvent)}");
                grain.CancelReminder(PaymentDeadline);
                SendPaymentFailedEmail(paymentEvent);
                break;
            case PaymentEventKind.SessionExpired when State.Status == OrderStatus.PendingPayment:
                await ReleaseStock("payment session expired");
                MoveTo(OrderStatus.Expired, "the payment page expired unpaid");
                grain.CancelReminder(PaymentDeadline);
                break;
            case PaymentEventKind.Refunded when IsPaidState(State.Status) || (State.Status == OrderStatus.OnHold && State.PaymentReceived):
                var refunded = Math.Max(State.Refunded, paymentEvent.Amount ?? 0);
                if (refunded == State.Refunded) break;
                State.Refunded = refunded;
                var total = State.Placed!.Total;
                var fully = refunded >= total.Amount;
                MoveTo(fully ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded, $"{new Money(refunded, total.Currency)} refunded in total");
                // A partial refund keeps every delivery: the money does not say which line it was for.
                if (fully) RevokeDeliveries();
                break;
            case PaymentEventKind.Disputed when OrderStateMachine.CanMove(State.Status, OrderStatus.OnHold):
                MoveTo(OrderStatus.OnHold, $"the customer's bank opened a dispute{Reason(paymentEvent)}");
                break;
            default:
                return; // a late or irrelevant event: the order's state already says more
        }
    }

    public async Task<OrderView> CancelAsync(string reason)
    {
        if (State.Status == OrderStatus.Cancelled) return View();
        if (State.Status != OrderStatus.PendingPayment)
            throw new RuleViolationException("order-not-cancellable", $"Only an unpaid order can be cancelled; this one is {State.Status}.", 409);
        await ReleaseStock("cancelled");
        MoveTo(OrderStatus.Cancelled, reason);
        grain.CancelReminder(PaymentDeadline);
        if (State.SessionId is { } session) grain.Send(new ReconcilePayment(grain.Key, session));
        return View();
    }

    public Task<OrderView?> GetAsync() => Task.FromResult(State.Status == OrderStatus.None ? null : View());

    public async Task ReceiveReminder(string name, TickStatus status)
    {
        if (name != PaymentDeadline || State.Status != OrderStatus.PendingPayment) return;
        if (State.SessionId is { } session && State.ReconcileAttempts < MaxReconcileAttempts)
        {
            State.ReconcileAttempts++;
            grain.Send(new ReconcilePayment(grain.Key, session));
            grain.Remind(PaymentDeadline, grain.Now + ReconcileRetry);
            return;
        }
        await ReleaseStock("payment never confirmed");
        MoveTo(OrderStatus.Expired, State.SessionId is null ? "the payment page was never opened" : "the payment was never confirmed");
    }

    private async Task MarkPaid(PaymentEvent paymentEvent)
    {
        if (IsPaidState(State.Status) || State.Status == OrderStatus.Refunded) return;
        State.PaymentReceived = true;
        var placed = State.Placed!;
        if (paymentEvent.Amount is { } amount && amount != placed.Total.Amount)
        {
            HoldIfPossible($"paid {new Money(amount, paymentEvent.Currency ?? placed.Total.Currency)} but the order total is {placed.Total}");
            return;
        }
        if (State.Status is OrderStatus.Cancelled)
        {
            HoldIfPossible("paid after the order was cancelled: refund or fulfil it by hand");
            return;
        }

        foreach (var line in placed.Lines.Where(l => l.StockLimited))
        {
            var inventory = grain.Grains.GetGrain<IInventoryGrain>(line.ProductId);
            // A late payment (after expiry released the stock) competes for what is left.
            var reservation = await inventory.ReserveAsync(grain.Key, line.Quantity, grain.Now + TimeSpan.FromMinutes(5));
            if (!reservation.Reserved || !await inventory.CommitAsync(grain.Key))
            {
                HoldIfPossible($"paid, but {line.Title} sold out meanwhile: refund or restock");
                return;
            }
        }
        State.StockHeld = false;
        State.PaidAt = paymentEvent.OccurredAt;
        if (placed.CouponCode is { } code) await grain.Grains.GetGrain<ICouponGrain>(code).RedeemAsync(grain.Key);
        MoveTo(OrderStatus.Paid, "payment received");
        grain.CancelReminder(PaymentDeadline);
        SendReceipt();
        grain.Send(new EmptyCheckedOutCart(placed.CartId, grain.Key));
        StartDeliveries(placed, paymentEvent.OccurredAt);
        MoveTo(OrderStatus.Fulfilling, "every line is ready for delivery");
    }

    public Task EraseCustomerAsync()
    {
        if (State.Placed is not { } placed || placed.Email == Courier.Abstractions.Accounts.AccountEmail.Erased) return Task.CompletedTask;
        State.Placed = placed with { Email = Courier.Abstractions.Accounts.AccountEmail.Erased, AccountId = null };
        if (State.Status is OrderStatus.Paid or OrderStatus.Fulfilling or OrderStatus.Fulfilled or OrderStatus.Completed or OrderStatus.PartiallyRefunded or OrderStatus.OnHold)
            for (var line = 1; line <= placed.Lines.Count; line++)
                grain.Send(new EraseDeliveryCustomer(new DeliveryId(grain.Key, line).ToString(), "the customer deleted their account"));
        Note("the customer's account was deleted: their details were erased");
        return Task.CompletedTask;
    }

    public Task RecordDeliveryProgressAsync(int line, DeliveryStatus status)
    {
        if (State.Placed is not { } placed || line < 1 || line > placed.Lines.Count || Rank(status) == 0) return Task.CompletedTask;
        if (State.Deliveries.TryGetValue(line, out var known) && Rank(known) >= Rank(status)) return Task.CompletedTask;
        State.Deliveries[line] = status;
        var lines = Enumerable.Range(1, placed.Lines.Count).Select(l => State.Deliveries.GetValueOrDefault(l)).ToList();
        if (State.Status == OrderStatus.Fulfilling && lines.All(s => Rank(s) > 0))
            MoveTo(OrderStatus.Fulfilled, lines.Count == 1 ? "the delivery is ready" : $"all {lines.Count} deliveries are ready");
        if (State.Status == OrderStatus.Fulfilled && lines.All(s => s == DeliveryStatus.Completed))
            MoveTo(OrderStatus.Completed, lines.Count == 1 ? "the delivery is complete" : $"all {lines.Count} deliveries are complete");
        return Task.CompletedTask;
    }

    /// <summary>How far a delivery is, for the order: 0 not yet delivered, then ready, downloaded, completed.</summary>
    private static int Rank(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Ready => 1,
        DeliveryStatus.Downloaded => 2,
        DeliveryStatus.Completed => 3,
        _ => 0,
    };

    /// <summary>One delivery per order line (a line of several units is one delivery), numbered from 1.</summary>
    private void StartDeliveries(PlaceOrder placed, DateTimeOffset paidAt)
    {
        for (var i = 0; i < placed.Lines.Count; i++)
        {
            var line = placed.Lines[i];
            grain.Send(new StartDelivery(grain.Key, i + 1, line.ProductId, line.Title, line.DeliveryKind, placed.AccountId, placed.Email, paidAt));
        }
    }

    private void RevokeDeliveries()
    {
        for (var line = 1; line <= State.Placed!.Lines.Count; line++)
            grain.Send(new RevokeDelivery(new DeliveryId(grain.Key, line).ToString(), "the order was refunded"));
    }

    private async Task ReleaseStock(string reason)
    {
        if (!State.StockHeld) return;
        foreach (var line in State.Placed!.Lines.Where(l => l.StockLimited))
            await grain.Grains.GetGrain<IInventoryGrain>(line.ProductId).ReleaseAsync(grain.Key, reason);
        State.StockHeld = false;
    }

    private void HoldIfPossible(string reason)
    {
        if (OrderStateMachine.CanMove(State.Status, OrderStatus.OnHold)) MoveTo(OrderStatus.OnHold, reason);
        else Note(reason);
    }

    private void MoveTo(OrderStatus next, string cause)
    {
        OrderStateMachine.EnsureAllowed(State.Status, next);
        var from = State.Status;
        State.Status = next;
        State.StatusReason = cause;
        grain.Journal(new OrderStepped(from, next, cause, grain.Now));
        Changed();
    }

    private void Note(string note)
    {
        grain.Journal(new OrderNoted(note, grain.Now));
        Changed();
    }

    private void Changed()
    {
        var placed = State.Placed!;
        grain.Project(new OrderRow(grain.Key, placed.AccountId, placed.Email, State.Status, placed.Total.Amount, placed.Total.Currency,
            State.SessionId, State.PaymentIntentId, State.CreatedAt, grain.Now));
        grain.Publish(new OrderChanged(grain.Key, placed.AccountId, State.Status));
    }

    private static bool IsPaidState(OrderStatus status) =>
        status is OrderStatus.Paid or OrderStatus.Fulfilling or OrderStatus.Fulfilled or OrderStatus.Completed or OrderStatus.PartiallyRefunded;

    private static string Reason(PaymentEvent paymentEvent) => paymentEvent.Detail is { Length: > 0 } detail ? $": {detail}" : "";

    private PlaceOrderResult Result() => new(State.Status != OrderStatus.Cancelled || State.SoldOut is null, View(), State.SoldOut);

    private OrderView View()
    {
        var placed = State.Placed!;
        var delivery = State.Status switch
        {
            OrderStatus.Fulfilling or OrderStatus.Fulfilled or OrderStatus.Completed or OrderStatus.PartiallyRefunded => "readyForDelivery",
            OrderStatus.Refunded => "revoked",
            _ => "awaitingPayment",
        };
        return new OrderView(
            grain.Key, State.Status, placed.AccountId, placed.Email,
            [.. placed.Lines.Select(l => new OrderLineView(l.ProductId, l.Slug, l.Title, l.UnitPrice, l.Quantity, l.UnitPrice.Times(l.Quantity), l.DeliveryKind, delivery))],
            placed.CouponCode, placed.Subtotal, placed.Discount, placed.Total,
            new OrderPaymentView(State.SessionId, State.RedirectUrl, State.SessionExpiresAt, State.PaymentIntentId, State.PaidAt,
                new Money(State.Refunded, placed.Total.Currency)),
            State.CreatedAt, State.StatusReason, grain.Version, placed.CartId);
    }

    private void SendReceipt()
    {
        var placed = State.Placed!;
        var lines = placed.Lines.Select(l => (l.Title, l.Quantity, Total: l.UnitPrice.Times(l.Quantity))).ToList();
        var text = $"Thank you for your order {grain.Key}.\n\n" +
            string.Join("\n", lines.Select(l => $"  {l.Title} × {l.Quantity}  {l.Total}")) +
            (placed.Discount.Amount > 0 ? $"\n  Discount ({placed.CouponCode})  -{placed.Discount}" : "") +
            $"\n\nTotal paid: {placed.Total}\n\nYour delivery is being prepared. Follow it live: {{base}}/account/orders/{grain.Key}\n";
        var html = $"<h1>Thank you for your order</h1><p>Order <strong>{grain.Key}</strong></p><table>" +
            string.Concat(lines.Select(l => $"<tr><td>{Html(l.Title)} × {l.Quantity}</td><td>{l.Total}</td></tr>")) +
            (placed.Discount.Amount > 0 ? $"<tr><td>Discount ({Html(placed.CouponCode!)})</td><td>-{placed.Discount}</td></tr>" : "") +
            $"<tr><th>Total paid</th><th>{placed.Total}</th></tr></table>" +
            $"<p><a href=\"{{base}}/account/orders/{grain.Key}\">Follow your delivery live</a></p>";
        grain.Send(new SendEmail(placed.Email, $"Your receipt for order {grain.Key}", text, html, "receipt", grain.Key));
    }

    private void SendPaymentFailedEmail(PaymentEvent paymentEvent)
    {
        var placed = State.Placed!;
        var reason = paymentEvent.Detail is { Length: > 0 } detail ? $" The bank said: {detail}." : "";
        grain.Send(new SendEmail(placed.Email, $"Your payment for order {grain.Key} did not go through",
            $"Your payment of {placed.Total} for order {grain.Key} did not go through.{reason}\n\nNothing was charged and your cart is still saved. Try again: {{base}}/cart\n",
            $"<p>Your payment of <strong>{placed.Total}</strong> for order {grain.Key} did not go through.{Html(reason)}</p><p>Nothing was charged and your cart is still saved.</p><p><a href=\"{{base}}/cart\">Try again</a></p>",
            "payment-failed", grain.Key));
    }

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);
}
