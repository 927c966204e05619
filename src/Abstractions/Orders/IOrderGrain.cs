using Orleans.Concurrency;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Live;
using Courier.Abstractions.Payments;
using System.Text.Json.Serialization;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Orders;

/// <summary>One order (keyed "ord_…"): a snapshot of what was bought and the story of its payment.</summary>
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Creates the order and reserves its stock. Idempotent: placing it again returns the first result.</summary>
    Task<PlaceOrderResult> PlaceAsync(PlaceOrder order);

    /// <summary>The payment page is open; the order waits for its payment until the session ends.</summary>
    Task AttachPaymentSessionAsync(string sessionId, Uri redirectUrl, DateTimeOffset expiresAt);

    /// <summary>
    /// <see cref="PlaceAsync"/> and <see cref="AttachPaymentSessionAsync"/> in one step, for an order that holds
    /// no stock and so cannot sell out: its payment page can be opened before the order exists.
    /// </summary>
    Task<PlaceOrderResult> PlaceWithPaymentSessionAsync(PlaceOrder order, string sessionId, Uri redirectUrl, DateTimeOffset expiresAt);

    /// <summary>Applies a payment event (webhook or reconciliation). Duplicates and any arrival order give the same end state.</summary>
    Task ApplyPaymentEventAsync(PaymentEvent paymentEvent);

    /// <summary>The customer gives up an unpaid order: its stock returns.</summary>
    Task<OrderView> CancelAsync(string reason);

    /// <summary>
    /// The customer's account was deleted: the order forgets who placed it (address and account)
    /// but keeps what was bought and paid for the seller's accounting, and a delivery still in use
    /// is withdrawn. Idempotent.
    /// </summary>
    Task EraseCustomerAsync();

    /// <summary>
    /// Line <paramref name="line"/>'s delivery reached <paramref name="status"/> (Ready, Downloaded or
    /// Completed). When every line is at least ready the order is Fulfilled; when every line is
    /// Completed, Completed. Repeats and any arrival order give the same end state.
    /// </summary>
    Task RecordDeliveryProgressAsync(int line, Deliveries.DeliveryStatus status);

    [ReadOnly] Task<OrderView?> GetAsync();
}

public sealed record PlaceOrder(
    string CartId,
    string? AccountId,
    string Email,
    IReadOnlyList<OrderLineDraft> Lines,
    string? CouponCode,
    Money Subtotal,
    Money Discount,
    Money Total,
    DateTimeOffset PaymentDeadline);

public sealed record OrderLineDraft(string ProductId, string Slug, string Title, Money UnitPrice, int Quantity, DeliveryKind DeliveryKind, bool StockLimited);

public sealed record PlaceOrderResult(bool Placed, OrderView Order, SoldOutLine? SoldOut);

public sealed record SoldOutLine(string ProductId, string Title, int Requested, int Available);

public sealed record OrderLineView(string ProductId, string Slug, string Title, Money UnitPrice, int Quantity, Money LineTotal, DeliveryKind DeliveryKind, string Delivery);

public sealed record OrderPaymentView(string? SessionId, Uri? RedirectUrl, DateTimeOffset? ExpiresAt, string? PaymentIntentId, DateTimeOffset? PaidAt, Money Refunded);

public sealed record OrderView(
    string Id,
    OrderStatus Status,
    string? AccountId,
    string Email,
    IReadOnlyList<OrderLineView> Lines,
    string? CouponCode,
    Money Subtotal,
    Money Discount,
    Money Total,
    OrderPaymentView Payment,
    DateTimeOffset CreatedAt,
    string? StatusReason,
    long Version,
    [property: ServerOnly] string CartId);

/// <summary>A step of the order's timeline (journaled).</summary>
[Orleans.Alias("OrderStepped")]
public sealed record OrderStepped(OrderStatus From, OrderStatus To, string Cause, DateTimeOffset At) : IJournalEntry;

/// <summary>Something worth showing on the timeline that is not a status change.</summary>
[Orleans.Alias("OrderNoted")]
public sealed record OrderNoted(string Note, DateTimeOffset At) : IJournalEntry;

public sealed record OrderChanged(string OrderId, string? AccountId, OrderStatus Status) : LiveEvent
{
    public override string Kind => "orderChanged";
    public override IReadOnlyList<string> Topics =>
        AccountId is null ? [$"order:{OrderId}", "admin"] : [$"order:{OrderId}", $"customer:{AccountId}", "admin"];
}
