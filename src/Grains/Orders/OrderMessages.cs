using Courier.Abstractions.Runtime;
using Orleans;
namespace Courier.Grains.Orders;

/// <summary>Outbox: ask the payment provider where an order's session stands (a webhook may have been lost).</summary>
[Alias("Courier.Grains.Orders.ReconcilePayment")]
public sealed record ReconcilePayment(string OrderId, string SessionId) : IOutboxMessage;

/// <summary>Outbox: the order was paid, so the cart it came from empties.</summary>
[Alias("Courier.Grains.Orders.EmptyCheckedOutCart")]
public sealed record EmptyCheckedOutCart(string CartId, string OrderId) : IOutboxMessage;
