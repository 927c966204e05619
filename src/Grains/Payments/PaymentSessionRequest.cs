namespace Courier.Grains.Payments;

/// <param name="OrderId">Shown to the provider as the session's reference; comes back on every event.</param>
/// <param name="Currency">Lowercase ISO 4217 code, e.g. "usd"; all lines are in it.</param>
/// <param name="SuccessUrl">
/// Where the customer lands after paying. Stripe replaces a literal <c>{CHECKOUT_SESSION_ID}</c> in it.
/// </param>
/// <param name="ExpiresAt">When the session stops accepting payment (Stripe: 30 minutes to 24 hours ahead).</param>
/// <param name="IdempotencyKey">
/// One key per order and attempt (e.g. "checkout:{orderId}:1"): repeating the call with the same key
/// returns the same session instead of opening a second one.
/// </param>
public sealed record PaymentSessionRequest(
    string OrderId,
    IReadOnlyList<PaymentLine> Lines,
    string Currency,
    string? CustomerEmail,
    Uri SuccessUrl,
    Uri CancelUrl,
    DateTimeOffset ExpiresAt,
    string IdempotencyKey);

/// <param name="UnitAmount">Price of one unit in minor units of the request's currency (4900 = $49.00).</param>
public sealed record PaymentLine(string Name, long UnitAmount, int Quantity);

/// <summary>An opened hosted payment page.</summary>
public sealed record PaymentSession(string SessionId, Uri RedirectUrl, DateTimeOffset ExpiresAt);
