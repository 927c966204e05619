using System.Text.RegularExpressions;
using Courier.Abstractions.Payments;
using Courier.Grains.Payments;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// The payment port on Stripe Checkout: one hosted Checkout Session (mode "payment") per order
/// attempt, through Stripe.net's <see cref="StripeClient"/>. Every POST carries the caller's
/// idempotency key, which Stripe.net sends again unchanged on its retries, so a retried create never creates twice.
/// </summary>
internal sealed partial class StripePaymentGateway(StripeClient stripe, IOptions<StripeOptions> options, TimeProvider clock) : IPaymentGateway
{
    /// <summary>Stripe accepts a session expiry between 30 minutes and 24 hours after creation.</summary>
    public static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan LongestSession = TimeSpan.FromHours(24);

    private const int MaxIdempotencyKeyLength = 255;
    private const int EventsPageSize = 100;

    public async Task<PaymentSession> OpenSessionAsync(PaymentSessionRequest request, CancellationToken cancellationToken)
    {
        EnsureValid(request);
        var parameters = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = request.OrderId,
            CustomerEmail = request.CustomerEmail,
            LineItems = [.. request.Lines.Select(line => LineItem(line, request.Currency))],
            Metadata = Metadata((StripeMetadata.OrderId, request.OrderId)),
            // Copied onto the PaymentIntent so payment_intent.* events name the order too.
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = Metadata((StripeMetadata.OrderId, request.OrderId)) },
            // OriginalString keeps Stripe's {CHECKOUT_SESSION_ID} template intact; AbsoluteUri would escape its braces.
            SuccessUrl = request.SuccessUrl.OriginalString,
            CancelUrl = request.CancelUrl.OriginalString,
            ExpiresAt = request.ExpiresAt.UtcDateTime,
        };

        var session = await CallAsync("POST /v1/checkout/sessions", request.IdempotencyKey,
            () => stripe.V1.Checkout.Sessions.CreateAsync(parameters, Idempotent(request.IdempotencyKey), cancellationToken), cancellationToken);
        if (session.Url is not { Length: > 0 } url)
        {
            throw new PaymentProviderException(
                $"Stripe created checkout session {session.Id} for order {request.OrderId} without a payment page URL (status '{session.Status}'). "
                + "A session reused through an old idempotency key may already be complete or expired: open a new one with a new key.",
                isRetryable: false);
        }

        return new PaymentSession(session.Id, new Uri(url), new DateTimeOffset(DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc)));
    }

    public async Task<PaymentSessionStatus> GetSessionStatusAsync(string sessionId, CancellationToken cancellationToken) =>
        ToStatus(await GetSessionAsync(sessionId, cancellationToken));

    public async Task<PaymentSessionStatus> ExpireSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        var idempotencyKey = $"expire:{sessionId}";
        try
        {
            return ToStatus(await CallAsync($"POST /v1/checkout/sessions/{sessionId}/expire", idempotencyKey,
                () => stripe.V1.Checkout.Sessions.ExpireAsync(sessionId, null, Idempotent(idempotencyKey), cancellationToken), cancellationToken));
        }
        catch (PaymentProviderException refused) when (refused.ErrorType == "invalid_request_error" && refused.StatusCode == 400)
        {
            // Stripe refuses to expire a session that is no longer open; what it became is the useful answer.
            var current = ToStatus(await GetSessionAsync(sessionId, cancellationToken));
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
        if (request.Amount is <= 0)
        {
            throw new ArgumentException(
                $"Refund amount must be positive minor units (or null for a full refund); it is {request.Amount}.", nameof(request));
        }

        var parameters = new RefundCreateOptions
        {
            PaymentIntent = request.PaymentIntentId,
            Amount = request.Amount,
            Metadata = Metadata((StripeMetadata.OrderId, request.OrderId), (StripeMetadata.Reason, request.Reason)),
        };
        var refund = await CallAsync("POST /v1/refunds", request.IdempotencyKey,
            () => stripe.V1.Refunds.CreateAsync(parameters, Idempotent(request.IdempotencyKey), cancellationToken), cancellationToken);
        return new PaymentRefund(refund.Id, refund.Amount, refund.Currency, ToRefundState(refund));
    }

    public async Task<IReadOnlyList<PaymentEvent>> ListEventsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var query = new EventListOptions
        {
            Created = new DateRangeOptions { GreaterThanOrEqual = since.UtcDateTime },
            Types = [.. StripeEvents.HandledTypes],
            Limit = EventsPageSize,
        };
        var events = new List<PaymentEvent>();
        await CallAsync<object?>("GET /v1/events", idempotencyKey: null, async () =>
        {
            // Stripe.net follows has_more page by page, starting after the last event it read.
            await foreach (var stripeEvent in stripe.V1.Events.ListAutoPagingAsync(query, null, cancellationToken))
            {
                if (ToPaymentEventOrThrow(stripeEvent) is { } paymentEvent)
                {
                    events.Add(paymentEvent);
                }
            }

            return null;
        }, cancellationToken);

        // Stripe lists newest first; replaying in the order things happened keeps handlers simple.
        events.Reverse();
        return events;
    }

    private Task<Session> GetSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return CallAsync($"GET /v1/checkout/sessions/{sessionId}", idempotencyKey: null,
            () => stripe.V1.Checkout.Sessions.GetAsync(sessionId, null, null, cancellationToken), cancellationToken);
    }

    /// <summary>One call to Stripe, its failures translated for the payment port (Stripe.net has already retried what it could).</summary>
    private async Task<T> CallAsync<T>(string call, string? idempotencyKey, Func<Task<T>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is StripeException or HttpRequestException or IOException
            || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var settings = options.Value;
            throw StripeErrors.Translate(failure, call, idempotencyKey, settings.MaxRetries + 1, settings.Timeout);
        }
    }

    private static PaymentEvent? ToPaymentEventOrThrow(Event stripeEvent)
    {
        try
        {
            return StripeEvents.ToPaymentEvent(stripeEvent);
        }
        catch (System.Text.Json.JsonException unreadable)
        {
            throw new PaymentProviderException(
                $"Stripe listed an event Courier cannot read ({unreadable.Message}). Stripe.net pins Stripe-Version {StripeConfiguration.ApiVersion}.",
                isRetryable: false, innerException: unreadable);
        }
    }

    private static SessionLineItemOptions LineItem(PaymentLine line, string currency) => new()
    {
        PriceData = new SessionLineItemPriceDataOptions
        {
            Currency = currency,
            ProductData = new SessionLineItemPriceDataProductDataOptions { Name = line.Name },
            UnitAmount = line.UnitAmount,
        },
        Quantity = line.Quantity,
    };

    private static PaymentSessionStatus ToStatus(Session session)
    {
        var state = (session.Status, session.PaymentStatus) switch
        {
            ("expired", _) => PaymentSessionState.Expired,
            (_, "paid" or "no_payment_required") => PaymentSessionState.Paid,
            ("complete", _) => PaymentSessionState.Unpaid,
            _ => PaymentSessionState.Open,
        };
        return new PaymentSessionStatus(session.Id, state, StripeEvents.OrderId(session), session.PaymentIntentId, session.AmountTotal, session.Currency);
    }

    private static RefundState ToRefundState(Refund refund) => refund.Status switch
    {
        "succeeded" => RefundState.Succeeded,
        "failed" => RefundState.Failed,
        "canceled" => RefundState.Canceled,
        "requires_action" => RefundState.RequiresAction,
        _ => RefundState.Pending,
    };

    private static RequestOptions Idempotent(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            throw new ArgumentException(
                $"Stripe accepts idempotency keys of up to {MaxIdempotencyKeyLength} characters; '{idempotencyKey[..40]}…' has {idempotencyKey.Length}.",
                nameof(idempotencyKey));
        }

        return new RequestOptions { IdempotencyKey = idempotencyKey };
    }

    private static Dictionary<string, string> Metadata(params (string Key, string? Value)[] entries) =>
        entries.Where(entry => entry.Value is not null).ToDictionary(entry => entry.Key, entry => entry.Value!);

    private void EnsureValid(PaymentSessionRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OrderId);
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
