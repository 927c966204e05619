using System.Text.Json;
using Courier.Abstractions.Payments;
using Stripe;
using Stripe.Checkout;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// What a Stripe event (read by Stripe.net, from a webhook or <c>GET /v1/events</c>) means for an
/// order: the event types checkout subscribes to, and their translation into Courier's <see cref="PaymentEvent"/>.
/// </summary>
internal static class StripeEvents
{
    /// <summary>The event types Courier subscribes to (webhook endpoint settings and reconciliation both use this list).</summary>
    public static readonly IReadOnlyList<string> HandledTypes =
    [
        EventTypes.CheckoutSessionCompleted,
        EventTypes.CheckoutSessionAsyncPaymentSucceeded,
        EventTypes.CheckoutSessionAsyncPaymentFailed,
        EventTypes.CheckoutSessionExpired,
        EventTypes.PaymentIntentPaymentFailed,
        EventTypes.ChargeRefunded,
        EventTypes.ChargeDisputeCreated,
    ];

    /// <summary>
    /// The event in Courier's terms, or null for a type Courier does not handle (acknowledge those
    /// with 200 so Stripe stops resending them).
    /// </summary>
    /// <exception cref="JsonException">A handled type whose object is not the one Stripe sends with it.</exception>
    public static PaymentEvent? ToPaymentEvent(Event stripeEvent) => stripeEvent.Type switch
    {
        EventTypes.CheckoutSessionCompleted => FromSession(stripeEvent,
            Read<Session>(stripeEvent, "checkout.session") is { PaymentStatus: "unpaid" } ? PaymentEventKind.AwaitingPayment : PaymentEventKind.Paid),
        EventTypes.CheckoutSessionAsyncPaymentSucceeded => FromSession(stripeEvent, PaymentEventKind.Paid),
        EventTypes.CheckoutSessionAsyncPaymentFailed => FromSession(stripeEvent, PaymentEventKind.PaymentFailed),
        EventTypes.CheckoutSessionExpired => FromSession(stripeEvent, PaymentEventKind.SessionExpired),
        EventTypes.PaymentIntentPaymentFailed => FromPaymentIntent(stripeEvent, Read<PaymentIntent>(stripeEvent, "payment_intent")),
        EventTypes.ChargeRefunded => FromCharge(stripeEvent, Read<Charge>(stripeEvent, "charge")),
        EventTypes.ChargeDisputeCreated => FromDispute(stripeEvent, Read<Dispute>(stripeEvent, "dispute")),
        _ => null,
    };

    /// <summary>The order a Checkout Session pays for: its client reference, or the metadata Courier put on it.</summary>
    public static string? OrderId(Session session) =>
        session.ClientReferenceId ?? session.Metadata?.GetValueOrDefault(StripeMetadata.OrderId);

    private static PaymentEvent FromSession(Event stripeEvent, PaymentEventKind kind)
    {
        var session = Read<Session>(stripeEvent, "checkout.session");
        Require(stripeEvent, "checkout.session", ("id", session.Id), ("status", session.Status), ("payment_status", session.PaymentStatus));
        return new PaymentEvent(stripeEvent.Id, kind, Created(stripeEvent), OrderId(session), session.Id, session.PaymentIntentId,
            session.AmountTotal, session.Currency, null);
    }

    private static PaymentEvent FromPaymentIntent(Event stripeEvent, PaymentIntent intent)
    {
        Require(stripeEvent, "payment_intent", ("id", intent.Id), ("currency", intent.Currency), ("status", intent.Status));
        return new PaymentEvent(stripeEvent.Id, PaymentEventKind.PaymentAttemptFailed, Created(stripeEvent), intent.Metadata?.GetValueOrDefault(StripeMetadata.OrderId),
            null, intent.Id, intent.Amount, intent.Currency, intent.LastPaymentError?.Message ?? intent.LastPaymentError?.Code);
    }

    private static PaymentEvent FromCharge(Event stripeEvent, Charge charge)
    {
        Require(stripeEvent, "charge", ("id", charge.Id), ("currency", charge.Currency));
        return new PaymentEvent(stripeEvent.Id, PaymentEventKind.Refunded, Created(stripeEvent), charge.Metadata?.GetValueOrDefault(StripeMetadata.OrderId),
            null, charge.PaymentIntentId, charge.AmountRefunded, charge.Currency, null);
    }

    private static PaymentEvent FromDispute(Event stripeEvent, Dispute dispute)
    {
        Require(stripeEvent, "dispute", ("id", dispute.Id), ("currency", dispute.Currency), ("charge", dispute.ChargeId), ("reason", dispute.Reason));
        return new PaymentEvent(stripeEvent.Id, PaymentEventKind.Disputed, Created(stripeEvent), null, null, dispute.PaymentIntentId,
            dispute.Amount, dispute.Currency, dispute.Reason);
    }

    private static DateTimeOffset Created(Event stripeEvent) => new(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));

    /// <summary>
    /// Stripe always sends these fields; an object without them did not come from Stripe as it is
    /// documented, and acting on it would record a payment from guesses.
    /// </summary>
    /// <exception cref="JsonException">One of the fields is missing or null.</exception>
    private static void Require(Event stripeEvent, string objectName, params (string Name, string? Value)[] fields)
    {
        var missing = fields.Where(field => string.IsNullOrEmpty(field.Value)).Select(field => $"'{field.Name}'").ToList();
        if (missing.Count > 0)
        {
            throw new JsonException(
                $"Stripe event {stripeEvent.Id} ({stripeEvent.Type}) carries a '{objectName}' object without {string.Join(", ", missing)}, which Stripe always sends.");
        }
    }

    private static T Read<T>(Event stripeEvent, string expectedObject) where T : class, IHasObject =>
        stripeEvent.Data?.Object as T ?? throw new JsonException(
            $"Stripe event {stripeEvent.Id} ({stripeEvent.Type}) carries a '{stripeEvent.Data?.Object?.Object ?? "unreadable"}' object, not a '{expectedObject}'.");
}

/// <summary>The metadata keys Courier puts on Stripe objects.</summary>
internal static class StripeMetadata
{
    public const string OrderId = "order_id";
    public const string Reason = "reason";
}
