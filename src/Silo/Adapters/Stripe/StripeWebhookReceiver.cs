using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// What the <c>POST /webhooks/stripe</c> endpoint calls with the raw body: verifies the signature
/// with Stripe:WebhookSecret, then reads the event.
/// </summary>
internal sealed class StripeWebhookReceiver(IOptions<StripeOptions> options, TimeProvider clock)
{
    /// <exception cref="StripeWebhookRejectedException">The signature is missing or wrong, or the body is not an event; answer 400.</exception>
    public StripeEvent Receive(string? signatureHeader, string rawBody)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            throw new StripeWebhookRejectedException(
                "Stripe:WebhookSecret is not set, so no webhook can be verified. Set it to the endpoint's signing secret (whsec_…).");
        }

        var check = StripeSignature.Verify(signatureHeader, rawBody, settings.WebhookSecret, clock.GetUtcNow(), settings.WebhookTolerance);
        if (!check.IsValid)
        {
            throw new StripeWebhookRejectedException(check.Reason, check.Failure);
        }

        try
        {
            return StripeEvent.Parse(rawBody);
        }
        catch (JsonException unreadable)
        {
            throw new StripeWebhookRejectedException($"The signed body is not a Stripe event: {unreadable.Message}", innerException: unreadable);
        }
    }
}

/// <summary>A webhook request that must not be acted on; <see cref="Exception.Message"/> says why (for the log and the 400 answer).</summary>
internal sealed class StripeWebhookRejectedException : Exception
{
    public StripeWebhookRejectedException() { }

    public StripeWebhookRejectedException(string message) : base(message) { }

    public StripeWebhookRejectedException(string message, Exception innerException) : base(message, innerException) { }

    public StripeWebhookRejectedException(string message, StripeSignatureFailure failure = StripeSignatureFailure.None, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public StripeSignatureFailure Failure { get; }
}
