using System.Net;
using Courier.Grains.Payments;
using Stripe;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// Turns what Stripe.net throws into the payment port's exceptions, with advice for whoever reads
/// the log. Stripe.net has already retried what it could (network failures, timeouts, 409, 5xx,
/// and whatever Stripe marks <c>Stripe-Should-Retry: true</c>) with the same idempotency key;
/// <see cref="PaymentGatewayException.IsRetryable"/> tells the outbox whether trying later can help.
/// </summary>
internal static class StripeErrors
{
    private const string ShouldRetryHeader = "Stripe-Should-Retry";

    /// <param name="call">The request, e.g. "POST /v1/checkout/sessions".</param>
    /// <param name="attempts">How many times Stripe.net sent it (1 + Stripe:MaxRetries) before giving up.</param>
    public static PaymentGatewayException Translate(Exception failure, string call, string? idempotencyKey, int attempts, TimeSpan timeout) => failure switch
    {
        StripeException answer => FromAnswer(answer, call, idempotencyKey),
        OperationCanceledException => new PaymentNetworkException(
            $"Stripe gave no answer to {call} within {timeout.TotalSeconds:0.#} s (Stripe:Timeout), {attempts} attempt(s). " + UnknownOutcome, failure),
        _ => new PaymentNetworkException(
            $"Stripe could not be reached for {call} after {attempts} attempt(s): {failure.Message} " + UnknownOutcome, failure),
    };

    private const string UnknownOutcome =
        "Whether Stripe acted is unknown: retry later with the same idempotency key, which makes a repeat safe.";

    private static PaymentGatewayException FromAnswer(StripeException answer, string call, string? idempotencyKey)
    {
        var error = answer.StripeError;
        var status = answer.HttpStatusCode;
        var code = (int)status;
        var requestId = answer.StripeResponse?.RequestId;

        if (code is >= 200 and < 300)
        {
            return new PaymentProviderException(
                $"Stripe answered {call} with {code} but a body Courier cannot read ({Truncate(answer.Message)}). "
                + $"Stripe.net pins Stripe-Version {StripeConfiguration.ApiVersion}; if Stripe:ApiBase points at a proxy, check that it passes Stripe's answers through.",
                isRetryable: false, statusCode: code, requestId: requestId, innerException: answer);
        }

        var said = error?.Message is { Length: > 0 } text ? text : Truncate(answer.StripeResponse?.Content ?? answer.Message);
        if (error?.Type == "card_error")
        {
            var reason = string.Join(", ", new[] { error.Code, error.DeclineCode }.Where(part => !string.IsNullOrEmpty(part)));
            return new PaymentDeclinedException(
                $"Stripe declined the payment ({reason}): {said} The customer should try another payment method.",
                error.Message, error.Code, error.DeclineCode);
        }

        var advice = (status, error?.Type) switch
        {
            (_, "idempotency_error") when status != HttpStatusCode.Conflict =>
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
            _ when code >= 500 =>
                "Stripe had trouble on its side. Retry later with the same idempotency key; see status.stripe.com if it persists.",
            _ =>
                "Stripe rejected the request as invalid; this is a bug in what Courier sent, not something a retry fixes.",
        };

        var param = error?.Param is { Length: > 0 } name ? $" (parameter '{name}')" : "";
        return new PaymentProviderException(
            $"Stripe answered {call} with {code}{param}: {said} {advice}",
            IsRetryable(answer), error?.Message, error?.Type, error?.Code, code, requestId, answer);
    }

    /// <summary>Stripe's own verdict when it sends one; otherwise 409, 429 and 5xx are worth trying again later.</summary>
    private static bool IsRetryable(StripeException answer)
    {
        var verdict = answer.StripeResponse?.Headers is { } headers && headers.TryGetValues(ShouldRetryHeader, out var values)
            ? values.FirstOrDefault()
            : null;
        return verdict switch
        {
            "true" => true,
            "false" => false,
            _ => answer.HttpStatusCode is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests || (int)answer.HttpStatusCode >= 500,
        };
    }

    private static string Truncate(string body) =>
        string.IsNullOrWhiteSpace(body) ? "(empty body)." : body.Length <= 200 ? body : body[..200] + "…";
}
