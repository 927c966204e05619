using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;

namespace Courier.WebFront.Pages.Account;

/// <summary>A status as a pill: what it says, its tone (success, warning, danger, accent, neutral) and an icon.</summary>
public sealed record StatusPill(string Label, string Tone, string Icon, string Key);

/// <summary>
/// How an order's state reads to its customer. A paid order is described by its deliveries (the
/// customer cares whether things arrived, not about payment bookkeeping); any other order by its
/// own status.
/// </summary>
internal static class OrderStatusText
{
    public static StatusPill For(OrderStatus status, IReadOnlyCollection<(DeliveryStatus Status, DeliveryHealth Health)> deliveries, int lineCount) => status switch
    {
        OrderStatus.PendingPayment => new("Awaiting payment", "accent", "hourglass", "awaiting-payment"),
        OrderStatus.PaymentFailed => new("Payment failed", "danger", "circle-x", "payment-failed"),
        OrderStatus.Expired => new("Expired", "neutral", "clock", "expired"),
        OrderStatus.Cancelled => new("Cancelled", "neutral", "ban", "cancelled"),
        OrderStatus.OnHold => new("On hold", "warning", "hourglass", "on-hold"),
        OrderStatus.Refunded => new("Refunded", "neutral", "rotate-ccw", "refunded"),
        OrderStatus.PartiallyRefunded => new("Partly refunded", "neutral", "rotate-ccw", "partly-refunded"),
        OrderStatus.Paid or OrderStatus.Fulfilling or OrderStatus.Fulfilled or OrderStatus.Completed => ByDeliveries(status, deliveries, lineCount),
        _ => new("Not placed", "neutral", "clock", "draft"),
    };

    private static StatusPill ByDeliveries(OrderStatus status, IReadOnlyCollection<(DeliveryStatus Status, DeliveryHealth Health)> deliveries, int lineCount)
    {
        if (deliveries.Any(d => d.Health == DeliveryHealth.NeedsAttention)) return new("Needs attention", "danger", "triangle-alert", "needs-attention");
        if (deliveries.Any(d => d.Health == DeliveryHealth.Delayed)) return new("Delayed", "warning", "hourglass", "delayed");
        var live = deliveries.Where(d => d.Status != DeliveryStatus.Revoked).ToList();
        if (deliveries.Count >= lineCount && live.Count > 0 && live.All(d => DeliveryProgress.IsDelivered(d.Status)))
            return status == OrderStatus.Completed ? new("Completed", "success", "check-circle-2", "completed") : new("Delivered", "success", "check-circle-2", "delivered");
        return new("Delivering", "accent", "loader-circle", "delivering");
    }
}

/// <summary>The delivery health indicator: green when all is well, amber when late, red when it needs someone.</summary>
internal static class DeliveryHealthText
{
    public static StatusPill For(DeliveryView delivery) => delivery.Health switch
    {
        DeliveryHealth.NeedsAttention => new("Needs attention", "danger", "triangle-alert", "needsAttention"),
        DeliveryHealth.Delayed => new("Delayed", "warning", "hourglass", "delayed"),
        _ when delivery.Status == DeliveryStatus.Revoked => new("Withdrawn", "neutral", "ban", "healthy"),
        _ when DeliveryProgress.IsDelivered(delivery.Status) => new("Delivered", "success", "check-circle-2", "healthy"),
        _ => new("On track", "success", "activity", "healthy"),
    };

    /// <summary>The explanation box: green once delivered, quiet while on its way, amber or red when late or stuck.</summary>
    public static string NoteTone(DeliveryView delivery) => delivery.Health switch
    {
        DeliveryHealth.NeedsAttention => "danger",
        DeliveryHealth.Delayed => "warning",
        _ when DeliveryProgress.IsDelivered(delivery.Status) => "success",
        _ => "neutral",
    };
}
