namespace Courier.Abstractions.Orders;

public enum OrderStatus
{
    None,
    PendingPayment,
    Paid,
    Fulfilling,
    Fulfilled,
    Completed,
    PaymentFailed,
    Expired,
    Cancelled,
    OnHold,
    PartiallyRefunded,
    Refunded,
}

/// <summary>The order's state machine as data: the moves each status allows. Anything else is rejected.</summary>
public static class OrderStateMachine
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Allowed = new()
    {
        [OrderStatus.None] = [OrderStatus.PendingPayment, OrderStatus.Cancelled],
        [OrderStatus.PendingPayment] = [OrderStatus.Paid, OrderStatus.PaymentFailed, OrderStatus.Expired, OrderStatus.Cancelled, OrderStatus.OnHold],
        [OrderStatus.Paid] = [OrderStatus.Fulfilling, OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.Fulfilling] = [OrderStatus.Fulfilled, OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.Fulfilled] = [OrderStatus.Completed, OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.Completed] = [OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        // A payment that succeeds after a failure or expiry was reported (events arrive in any order) still counts.
        [OrderStatus.PaymentFailed] = [OrderStatus.Paid, OrderStatus.OnHold],
        [OrderStatus.Expired] = [OrderStatus.Paid, OrderStatus.OnHold],
        [OrderStatus.Cancelled] = [OrderStatus.OnHold],
        [OrderStatus.OnHold] = [OrderStatus.Paid, OrderStatus.Fulfilling, OrderStatus.Fulfilled, OrderStatus.Completed, OrderStatus.Cancelled, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.PartiallyRefunded] = [OrderStatus.PartiallyRefunded, OrderStatus.Refunded, OrderStatus.OnHold, OrderStatus.Completed],
        [OrderStatus.Refunded] = [],
    };

    public static bool CanMove(OrderStatus from, OrderStatus to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);

    public static IReadOnlyList<OrderStatus> NextFrom(OrderStatus from) => Allowed.TryGetValue(from, out var next) ? next : [];

    public static void EnsureAllowed(OrderStatus from, OrderStatus to)
    {
        if (!CanMove(from, to))
            throw new IllegalTransitionException($"An order cannot move from {from} to {to}.");
    }
}

public sealed class IllegalTransitionException : InvalidOperationException
{
    public IllegalTransitionException() { }
    public IllegalTransitionException(string message) : base(message) { }
    public IllegalTransitionException(string message, Exception inner) : base(message, inner) { }
}
