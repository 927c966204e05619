using Courier.Abstractions.Payments;
namespace Courier.Grains.Payments;

/// <summary>
/// What checkout needs from a payment provider (Stripe, or the built-in simulated one).
/// Called from outbox dispatchers, never from grain code directly: every call is I/O and may be
/// repeated, so each mutating call carries an idempotency key the provider deduplicates on.
/// </summary>
/// <remarks>
/// Failures are <see cref="PaymentDeclinedException"/> (the customer's payment failed),
/// <see cref="PaymentProviderException"/> (the provider refused or broke; see its
/// <see cref="PaymentGatewayException.IsRetryable"/>) and <see cref="PaymentNetworkException"/>
/// (no answer; always retryable). Argument mistakes are <see cref="ArgumentException"/>.
/// </remarks>
public interface IPaymentGateway
{
    /// <summary>Opens a hosted payment page for an order; the customer is sent to <see cref="PaymentSession.RedirectUrl"/>.</summary>
    Task<PaymentSession> OpenSessionAsync(PaymentSessionRequest request, CancellationToken cancellationToken);

    /// <summary>Reads where a session's payment stands, for reconciliation when a webhook went missing.</summary>
    Task<PaymentSessionStatus> GetSessionStatusAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Closes an open session so it can no longer be paid. A session that already completed or
    /// expired is not an error: its current status is returned, so a payment that won the race is seen.
    /// </summary>
    Task<PaymentSessionStatus> ExpireSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Refunds all or part of a captured payment.</summary>
    Task<PaymentRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The payment events (of the kinds in <see cref="PaymentEventKind"/>) that happened at or after
    /// <paramref name="since"/>, oldest first — the same events the webhook delivers, for catching up.
    /// </summary>
    Task<IReadOnlyList<PaymentEvent>> ListEventsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
