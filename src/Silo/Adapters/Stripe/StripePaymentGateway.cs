using Courier.Abstractions.Payments;
using System.Text.RegularExpressions;
using Courier.Grains.Payments;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>The payment port on Stripe Checkout: one hosted Checkout Session (mode "payment") per order attempt.</summary>
internal sealed partial class StripePaymentGateway(StripeClient stripe, TimeProvider clock) : IPaymentGateway
{
    /// <summary>Stripe accepts a session expiry between 30 minutes and 24 hours after creation.</summary>
    public static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan LongestSession = TimeSpan.FromHours(24);

    public async Task<PaymentSession> OpenSessionAsync(PaymentSessionRequest request, CancellationToken cancellationToken)
    {
        EnsureValid(request);
        var parameters = new StripeParams
        {
            { "mode", "payment" },
            { "client_reference_id", request.OrderId },
            { "customer_email", request.CustomerEmail },
            { "line_items", request.Lines.Select(line => LineItem(line, request.Currency)).ToList() },
            { "metadata", new StripeParams { { StripeMetadata.OrderId, request.OrderId } } },
            // Copied onto the PaymentIntent so payment_intent.* events name the order too.
            { "payment_intent_data", new StripeParams { { "metadata", new StripeParams { { StripeMetadata.OrderId, request.OrderId } } } } },
            { "success_url", request.SuccessUrl },
            { "cancel_url", request.CancelUrl },
            { "expires_at", request.ExpiresAt },
        };

        var session = await stripe.CreateCheckoutSessionAsync(parameters, request.IdempotencyKey, cancellationToken);
        var redirect = session.Url ?? throw new PaymentProviderException(
            $"Stripe created checkout session {session.Id} for order {request.OrderId} without a payment page URL (status '{session.Status}'). "
            + "A session reused through an old idempotency key may already be complete or expired: open a new one with a new key.",
            isRetryable: false);
        return new PaymentSession(session.Id, redirect, DateTimeOffset.FromUnixTimeSeconds(session.ExpiresAt));
    }

    public async Task<PaymentSessionStatus> GetSessionStatusAsync(string sessionId, CancellationToken cancellationToken) =>
        ToStatus(await stripe.GetCheckoutSessionAsync(sessionId, cancellationToken));

    public async Task<PaymentSessionStatus> ExpireSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            return ToStatus(await stripe.ExpireCheckoutSessionAsync(sessionId, $"expire:{sessionId}", cancellationToken));
        }
        catch (PaymentProviderException refused) when (refused.ErrorType == "invalid_request_error" && refused.StatusCode == 400)
        {
            // Stripe refuses to expire a session that is no longer open; what it became is the useful answer.
            var current = ToStatus(await stripe.GetCheckoutSessionAsync(sessionId, cancellationToken));
            if (current.State == PaymentSessionState.Open)
            {
                throw;
            }

            return current;
        }
    }

    public async Task<PaymentRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.PaymentIntentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        if (request.Amount is <= 0)
        {
            throw new ArgumentException(
                $"Refund amount must be positive minor units (or null for a full refund); it is {request.Amount}.", nameof(request));
        }

        var parameters = new StripeParams
        {
            { "payment_intent", request.PaymentIntentId },
            { "amount", request.Amount },
            { "metadata", new StripeParams { { StripeMetadata.OrderId, request.OrderId }, { StripeMetadata.Reason, request.Reason } } },
        };
        var refund = await stripe.CreateRefundAsync(parameters, request.IdempotencyKey, cancellationToken);
        return new PaymentRefund(refund.Id, refund.Amount, refund.Currency, ToRefundState(refund));
    }

    public async Task<IReadOnlyList<PaymentEvent>> ListEventsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var events = new List<PaymentEvent>();
        await foreach (var stripeEvent in stripe.ListEventsAsync(since, StripeEvent.HandledTypes, cancellationToken))
        {
            if (stripeEvent.ToPaymentEvent() is { } paymentEvent)
            {
                events.Add(paymentEvent);
            }
        }

        // Stripe lists newest first; replaying in the order things happened keeps handlers simple.
        events.Reverse();
        return events;
    }

    private static StripeParams LineItem(PaymentLine line, string currency) => new()
    {
        {
            "price_data", new StripeParams
            {
                { "currency", currency },
                { "product_data", new StripeParams { { "name", line.Name } } },
                { "unit_amount", line.UnitAmount },
            }
        },
        { "quantity", line.Quantity },
    };

    private static PaymentSessionStatus ToStatus(StripeCheckoutSession session)
    {
        var state = (session.Status, session.PaymentStatus) switch
        {
            ("expired", _) => PaymentSessionState.Expired,
            (_, "paid" or "no_payment_required") => PaymentSessionState.Paid,
            ("complete", _) => PaymentSessionState.Unpaid,
            _ => PaymentSessionState.Open,
        };
        return new PaymentSessionStatus(session.Id, state, session.OrderId, session.PaymentIntent, session.AmountTotal, session.Currency);
    }

    private static RefundState ToRefundState(StripeRefund refund) => refund.Status switch
    {
        "succeeded" => RefundState.Succeeded,
        "failed" => RefundState.Failed,
        "canceled" => RefundState.Canceled,
        "requires_action" => RefundState.RequiresAction,
        _ => RefundState.Pending,
    };

    private void EnsureValid(PaymentSessionRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OrderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        if (!CurrencyCode().IsMatch(request.Currency))
        {
            throw new ArgumentException(
                $"Currency '{request.Currency}' is not a lowercase ISO 4217 code such as \"usd\" or \"eur\".", nameof(request));
        }

        if (request.Lines.Count == 0)
        {
            throw new ArgumentException($"Order {request.OrderId} has no lines to pay for.", nameof(request));
        }

        foreach (var line in request.Lines)
        {
            if (string.IsNullOrWhiteSpace(line.Name) || line.UnitAmount < 0 || line.Quantity < 1)
            {
                throw new ArgumentException(
                    $"Line '{line.Name}' of order {request.OrderId} needs a name, a unit amount of 0 or more minor units and a quantity of at least 1.",
                    nameof(request));
            }
        }

        var lifetime = request.ExpiresAt - clock.GetUtcNow();
        if (lifetime < ShortestSession || lifetime > LongestSession)
        {
            throw new ArgumentException(
                $"Session for order {request.OrderId} would expire at {request.ExpiresAt:u}, {lifetime.TotalMinutes:0} minutes from now; "
                + "Stripe accepts 30 minutes to 24 hours.", nameof(request));
        }
    }

    [GeneratedRegex("^[a-z]{3}$")]
    private static partial Regex CurrencyCode();
}
