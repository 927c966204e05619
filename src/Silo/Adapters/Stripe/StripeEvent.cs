using Courier.Abstractions.Payments;
using System.Text.Json;
using Courier.Grains.Payments;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// A Stripe event (object "event"), as a webhook delivers it or <c>GET /v1/events</c> lists it.
/// <see cref="Object"/> is the affected object as it was when the event happened; the typed
/// accessors read it for the event types checkout handles.
/// </summary>
internal sealed record StripeEvent(
    string Id,
    string Type,
    DateTimeOffset Created,
    bool Livemode,
    string? ApiVersion,
    JsonElement Object)
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CheckoutSessionAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";
    public const string CheckoutSessionAsyncPaymentFailed = "checkout.session.async_payment_failed";
    public const string CheckoutSessionExpired = "checkout.session.expired";
    public const string PaymentIntentPaymentFailed = "payment_intent.payment_failed";
    public const string ChargeRefunded = "charge.refunded";
    public const string ChargeDisputeCreated = "charge.dispute.created";

    /// <summary>The event types Courier subscribes to (webhook endpoint settings and reconciliation both use this list).</summary>
    public static readonly IReadOnlyList<string> HandledTypes =
    [
        CheckoutSessionCompleted,
        CheckoutSessionAsyncPaymentSucceeded,
        CheckoutSessionAsyncPaymentFailed,
        CheckoutSessionExpired,
        PaymentIntentPaymentFailed,
        ChargeRefunded,
        ChargeDisputeCreated,
    ];

    /// <summary>Reads an event from its JSON text (a webhook body, after its signature was verified).</summary>
    /// <exception cref="JsonException">The text is not a Stripe event.</exception>
    public static StripeEvent Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <exception cref="JsonException">The element is not a Stripe event.</exception>
    public static StripeEvent FromJson(JsonElement element)
    {
        var objectName = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("object", out var name) ? name.ToString() : null;
        if (objectName != "event")
        {
            throw new JsonException($"Expected a Stripe object of type 'event' but got '{objectName ?? element.ValueKind.ToString()}'.");
        }

        var envelope = StripeJson.Deserialize<Envelope>(element);

        return new StripeEvent(
            envelope.Id,
            envelope.Type,
            DateTimeOffset.FromUnixTimeSeconds(envelope.Created),
            envelope.Livemode,
            envelope.ApiVersion,
            envelope.Data.Object.Clone());
    }

    public bool IsHandled => HandledTypes.Contains(Type, StringComparer.Ordinal);

    /// <summary>The session of a <c>checkout.session.*</c> event.</summary>
    public StripeCheckoutSession CheckoutSession => Read<StripeCheckoutSession>("checkout.session");

    /// <summary>The payment intent of a <c>payment_intent.*</c> event.</summary>
    public StripePaymentIntent PaymentIntent => Read<StripePaymentIntent>("payment_intent");

    /// <summary>The charge of a <c>charge.*</c> event other than disputes.</summary>
    public StripeCharge Charge => Read<StripeCharge>("charge");

    /// <summary>The dispute of a <c>charge.dispute.*</c> event.</summary>
    public StripeDispute Dispute => Read<StripeDispute>("dispute");

    /// <summary>
    /// The event in Courier's terms, or null for a type Courier does not handle (acknowledge those
    /// with 200 so Stripe stops resending them).
    /// </summary>
    public PaymentEvent? ToPaymentEvent() => Type switch
    {
        CheckoutSessionCompleted => FromSession(CheckoutSession is { PaymentStatus: "unpaid" } ? PaymentEventKind.AwaitingPayment : PaymentEventKind.Paid),
        CheckoutSessionAsyncPaymentSucceeded => FromSession(PaymentEventKind.Paid),
        CheckoutSessionAsyncPaymentFailed => FromSession(PaymentEventKind.PaymentFailed),
        CheckoutSessionExpired => FromSession(PaymentEventKind.SessionExpired),
        PaymentIntentPaymentFailed => FromPaymentIntent(PaymentIntent),
        ChargeRefunded => FromCharge(Charge),
        ChargeDisputeCreated => FromDispute(Dispute),
        _ => null,
    };

    private PaymentEvent FromSession(PaymentEventKind kind)
    {
        var session = CheckoutSession;
        return new PaymentEvent(Id, kind, Created, session.OrderId, session.Id, session.PaymentIntent, session.AmountTotal, session.Currency, null);
    }

    private PaymentEvent FromPaymentIntent(StripePaymentIntent intent) =>
        new(Id, PaymentEventKind.PaymentAttemptFailed, Created, intent.Metadata?.GetValueOrDefault(StripeMetadata.OrderId),
            null, intent.Id, intent.Amount, intent.Currency, intent.LastPaymentError?.Message ?? intent.LastPaymentError?.Code);

    private PaymentEvent FromCharge(StripeCharge charge) =>
        new(Id, PaymentEventKind.Refunded, Created, charge.Metadata?.GetValueOrDefault(StripeMetadata.OrderId),
            null, charge.PaymentIntent, charge.AmountRefunded, charge.Currency, null);

    private PaymentEvent FromDispute(StripeDispute dispute) =>
        new(Id, PaymentEventKind.Disputed, Created, null, null, dispute.PaymentIntent, dispute.Amount, dispute.Currency, dispute.Reason);

    private T Read<T>(string expectedObject)
    {
        var actual = Object.TryGetProperty("object", out var name) ? name.GetString() : null;
        if (actual != expectedObject)
        {
            throw new InvalidOperationException(
                $"Stripe event {Id} ({Type}) carries a '{actual}' object, not a '{expectedObject}'; read it with the accessor for '{actual}'.");
        }

        return StripeJson.Deserialize<T>(Object);
    }

    private sealed record Envelope(string Id, string Type, long Created, bool Livemode, string? ApiVersion, EnvelopeData Data);

    private sealed record EnvelopeData(JsonElement Object);
}
