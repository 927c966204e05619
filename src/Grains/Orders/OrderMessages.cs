namespace Courier.Grains.Orders;

/// <summary>Outbox: ask the payment provider where an order's session stands (a webhook may have been lost).</summary>
public sealed record ReconcilePayment(string OrderId, string SessionId);

/// <summary>Outbox: the order was paid, so the cart it came from empties.</summary>
public sealed record EmptyCheckedOutCart(string CartId, string OrderId);
