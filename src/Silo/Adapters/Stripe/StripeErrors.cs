using System.Net;
using System.Text.Json;
using Courier.Grains.Payments;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>Turns Stripe's error answers (<c>{"error": {"type", "code", "decline_code", "message", "param"}}</c>) into the payment port's exceptions.</summary>
internal static class StripeErrors
{
    public static PaymentGatewayException ToException(StripeAnswer answer, HttpMethod method, Uri uri, string? idempotencyKey, bool retryable)
    {
        var error = TryRead(answer.Body);
        var status = (int)answer.Status;
        var call = $"{method} {uri.AbsolutePath}";
        var said = error?.Message is { Length: > 0 } text ? text : Truncate(answer.Body);

        if (error?.Type == "card_error")
        {
            var reason = string.Join(", ", new[] { error.Code, error.DeclineCode }.Where(code => !string.IsNullOrEmpty(code)));
            return new PaymentDeclinedException(
                $"Stripe declined the payment ({reason}): {said} The customer should try another payment method.",
                error.Message, error.Code, error.DeclineCode);
        }

        var advice = (answer.Status, error?.Type) switch
        {
            (_, "idempotency_error") when answer.Status != HttpStatusCode.Conflict =>
                $"The idempotency key '{idempotencyKey}' was already used for a different request. A changed request needs a new key.",
            (HttpStatusCode.Conflict, _) =>
                $"Another request with idempotency key '{idempotencyKey}' is still running at Stripe. Retry later with the same key.",
            (HttpStatusCode.Unauthorized, _) =>
                "Stripe rejected the API key. Check Stripe:SecretKey (Stripe dashboard → Developers → API keys) and that it is for the right mode (test/live).",
            (HttpStatusCode.Forbidden, _) =>
                "The API key may not do this. If Stripe:SecretKey is a restricted key (rk_…), grant it write access to Checkout Sessions and Refunds.",
            (HttpStatusCode.NotFound, _) =>
                "Stripe has no such object for this key. Check the id, and that it was created in the same mode (test/live) and account.",
            (HttpStatusCode.TooManyRequests, _) =>
                "Stripe is rate-limiting this account. Retry later with the same idempotency key.",
            _ when status >= 500 =>
                "Stripe had trouble on its side. Retry later with the same idempotency key; see status.stripe.com if it persists.",
            _ =>
                "Stripe rejected the request as invalid; this is a bug in what Courier sent, not something a retry fixes.",
        };

        var param = error?.Param is { Length: > 0 } name ? $" (parameter '{name}')" : "";
        return new PaymentProviderException(
            $"Stripe answered {call} with {status}{param}: {said} {advice}",
            retryable, error?.Message, error?.Type, error?.Code, status, answer.RequestId);
    }

    private static StripeError? TryRead(string body)
    {
        try
        {
            return StripeJson.Deserialize<StripeErrorBody>(body).Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string body) =>
        string.IsNullOrWhiteSpace(body) ? "(empty body)." : body.Length <= 200 ? body : body[..200] + "…";
}
