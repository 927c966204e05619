using Courier.Abstractions.Orders;

namespace Courier.Abstractions.Deliveries;

public enum DeliveryStatus
{
    None,
    Pending,
    Processing,
    Retrying,
    Ready,
    Downloaded,
    Completed,
    Failed,
    Escalated,
    Revoked,
}

/// <summary>The delivery's state machine as data: the moves each status allows. Anything else is rejected.</summary>
public static class DeliveryStateMachine
{
    private static readonly Dictionary<DeliveryStatus, DeliveryStatus[]> Allowed = new()
    {
        [DeliveryStatus.None] = [DeliveryStatus.Pending],
        [DeliveryStatus.Pending] = [DeliveryStatus.Processing, DeliveryStatus.Revoked],
        [DeliveryStatus.Processing] = [DeliveryStatus.Ready, DeliveryStatus.Retrying, DeliveryStatus.Failed, DeliveryStatus.Revoked],
        [DeliveryStatus.Retrying] = [DeliveryStatus.Processing, DeliveryStatus.Revoked],
        [DeliveryStatus.Ready] = [DeliveryStatus.Downloaded, DeliveryStatus.Completed, DeliveryStatus.Revoked],
        [DeliveryStatus.Downloaded] = [DeliveryStatus.Completed, DeliveryStatus.Revoked],
        // A refund after the customer has what they bought still withdraws it.
        [DeliveryStatus.Completed] = [DeliveryStatus.Revoked],
        [DeliveryStatus.Failed] = [DeliveryStatus.Escalated, DeliveryStatus.Revoked],
        // A technician finishes an escalated delivery by hand.
        [DeliveryStatus.Escalated] = [DeliveryStatus.Ready, DeliveryStatus.Revoked],
        [DeliveryStatus.Revoked] = [],
    };

    public static bool CanMove(DeliveryStatus from, DeliveryStatus to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);

    public static IReadOnlyList<DeliveryStatus> NextFrom(DeliveryStatus from) => Allowed.TryGetValue(from, out var next) ? next : [];

    public static void EnsureAllowed(DeliveryStatus from, DeliveryStatus to)
    {
        if (!CanMove(from, to))
            throw new IllegalTransitionException($"A delivery cannot move from {from} to {to}.");
    }
}
