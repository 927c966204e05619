using Courier.Abstractions.Payments;
namespace Courier.Grains.Payments;

/// <param name="PaymentIntentId">From <see cref="PaymentSessionStatus.PaymentIntentId"/> or a <see cref="PaymentEventKind.Paid"/> event.</param>
/// <param name="Amount">Minor units to give back; null refunds whatever is left of the payment.</param>
/// <param name="IdempotencyKey">One key per refund request (e.g. "refund:{orderId}:{requestId}"), reused on every retry.</param>
/// <param name="OrderId">Recorded with the refund at the provider, for people reading its dashboard.</param>
/// <param name="Reason">Free text recorded with the refund at the provider.</param>
public sealed record RefundRequest(
    string PaymentIntentId,
    long? Amount,
    string IdempotencyKey,
    string? OrderId = null,
    string? Reason = null);

public sealed record PaymentRefund(string RefundId, long Amount, string Currency, RefundState State);

public enum RefundState
{
    Pending,
    Succeeded,
    Failed,
    Canceled,

    /// <summary>The provider needs more from the customer (rare: some bank refunds).</summary>
    RequiresAction,
}
