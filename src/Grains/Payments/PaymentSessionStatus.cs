namespace Courier.Grains.Payments;

/// <param name="OrderId">The order the session was opened for, as the provider echoes it.</param>
/// <param name="PaymentIntentId">The provider's payment id; needed for refunds. Absent until the customer pays.</param>
/// <param name="AmountTotal">Minor units the customer is asked to pay (or paid), when the provider has computed it.</param>
public sealed record PaymentSessionStatus(
    string SessionId,
    PaymentSessionState State,
    string? OrderId,
    string? PaymentIntentId,
    long? AmountTotal,
    string? Currency);

public enum PaymentSessionState
{
    /// <summary>The customer can still pay.</summary>
    Open,

    /// <summary>The money arrived (or nothing was due).</summary>
    Paid,

    /// <summary>The customer finished checkout but the payment has not arrived yet (bank debits and other slow methods).</summary>
    Unpaid,

    /// <summary>The session can no longer be paid.</summary>
    Expired,
}
