using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// How Stripe's JSON reads: snake_case names; unknown fields ignored (Stripe adds fields without a new
/// API version); a field the records below need but Stripe left out or sent as null is an error, not a silent default.
/// Stripe always sends every field of an object (null when unset), except expandable ones, which default to null here.
/// </summary>
internal static class StripeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Stripe sent 'null' where a {typeof(T).Name} was expected.");

    public static T Deserialize<T>(JsonElement element) =>
        element.Deserialize<T>(Options)
        ?? throw new JsonException($"Stripe sent 'null' where a {typeof(T).Name} was expected.");
}

/// <summary>The parts of a Checkout Session (object "checkout.session") Courier reads.</summary>
/// <param name="Status">"open", "complete" or "expired".</param>
/// <param name="PaymentStatus">"paid", "unpaid" or "no_payment_required".</param>
/// <param name="PaymentIntent">The PaymentIntent id; null until the customer submits payment.</param>
/// <param name="ExpiresAt">Unix seconds.</param>
internal sealed record StripeCheckoutSession(
    string Id,
    Uri? Url,
    string Status,
    string PaymentStatus,
    string? PaymentIntent,
    long? AmountTotal,
    string? Currency,
    string? ClientReferenceId,
    IReadOnlyDictionary<string, string>? Metadata,
    long ExpiresAt,
    long Created,
    bool Livemode)
{
    public string? OrderId => ClientReferenceId ?? Metadata?.GetValueOrDefault(StripeMetadata.OrderId);
}

/// <summary>A Refund (object "refund"). <paramref name="Status"/>: pending, requires_action, succeeded, failed, canceled.</summary>
internal sealed record StripeRefund(
    string Id,
    long Amount,
    string Currency,
    string? Status,
    string? PaymentIntent,
    string? Charge,
    string? Reason,
    IReadOnlyDictionary<string, string>? Metadata,
    long Created);

/// <summary>A PaymentIntent (object "payment_intent").</summary>
internal sealed record StripePaymentIntent(
    string Id,
    long Amount,
    string Currency,
    string Status,
    IReadOnlyDictionary<string, string>? Metadata,
    StripeError? LastPaymentError,
    long Created);

/// <summary>A Charge (object "charge"). <paramref name="Refunds"/> is only sent when expanded on current API versions.</summary>
internal sealed record StripeCharge(
    string Id,
    long Amount,
    long AmountRefunded,
    string Currency,
    bool Refunded,
    string? PaymentIntent,
    string? Status,
    IReadOnlyDictionary<string, string>? Metadata,
    long Created,
    StripeList<StripeRefund>? Refunds = null);

/// <summary>A Dispute (object "dispute"); <paramref name="Reason"/> is e.g. "fraudulent", "general".</summary>
internal sealed record StripeDispute(
    string Id,
    long Amount,
    string Currency,
    string Charge,
    string? PaymentIntent,
    string Reason,
    string Status,
    long Created);

/// <summary>One page of a Stripe list; the next page starts after the last item's id.</summary>
internal sealed record StripeList<T>(IReadOnlyList<T> Data, bool HasMore, string? Url = null);

/// <summary>The body of every Stripe error answer: <c>{"error": {...}}</c>.</summary>
internal sealed record StripeErrorBody(StripeError? Error = null);

/// <param name="Type">api_error, card_error, idempotency_error, invalid_request_error (and, on older versions, rate_limit_error, authentication_error).</param>
/// <param name="DeclineCode">The bank's reason on card errors, e.g. insufficient_funds.</param>
internal sealed record StripeError(
    string? Type = null,
    string? Code = null,
    string? DeclineCode = null,
    string? Message = null,
    string? Param = null);

/// <summary>The metadata keys Courier puts on Stripe objects.</summary>
internal static class StripeMetadata
{
    public const string OrderId = "order_id";
    public const string Reason = "reason";
}
