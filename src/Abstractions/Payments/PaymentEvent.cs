namespace Courier.Abstractions.Payments;

/// <summary>
/// Something that happened to a payment, in the provider's own words translated to Courier's. The
/// webhook and the payment gateway's event listing produce the same records, so one
/// handler serves both. Providers deliver events at least once and out of order: handle each
/// <see cref="EventId"/> once and let the order's state decide what a late event still means.
/// </summary>
/// <param name="OrderId">The order the payment belongs to, when the event carries it (not on refunds and disputes: match those by <paramref name="PaymentIntentId"/>).</param>
/// <param name="Amount">
/// Minor units: the session total for the session kinds, the payment amount for
/// <see cref="PaymentEventKind.PaymentAttemptFailed"/>, the total refunded so far (all refunds together)
/// for <see cref="PaymentEventKind.Refunded"/>, the disputed amount for <see cref="PaymentEventKind.Disputed"/>.
/// </param>
/// <param name="Detail">A human-readable reason: the decline message, the dispute reason.</param>
public sealed record PaymentEvent(
    string EventId,
    PaymentEventKind Kind,
    DateTimeOffset OccurredAt,
    string? OrderId,
    string? SessionId,
    string? PaymentIntentId,
    long? Amount,
    string? Currency,
    string? Detail);

public enum PaymentEventKind
{
    /// <summary>The session's money arrived: the order can be fulfilled.</summary>
    Paid,

    /// <summary>The customer completed checkout with a slow payment method; a Paid or PaymentFailed follows.</summary>
    AwaitingPayment,

    /// <summary>A slow payment the customer had completed checkout with did not arrive; the order is not paid.</summary>
    PaymentFailed,

    /// <summary>The session expired unpaid.</summary>
    SessionExpired,

    /// <summary>One attempt to pay was refused (e.g. a declined card); the customer may still retry in the same session.</summary>
    PaymentAttemptFailed,

    /// <summary>Money went back to the customer, by us or through the provider's dashboard.</summary>
    Refunded,

    /// <summary>The customer's bank opened a dispute (chargeback) on the payment.</summary>
    Disputed,
}
