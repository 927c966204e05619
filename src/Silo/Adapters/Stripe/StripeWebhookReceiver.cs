using System.Text.Json;
using Courier.Silo.Operations;
using Microsoft.Extensions.Options;
using Stripe;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// What the <c>POST /webhooks/stripe</c> endpoint calls with the raw body: Stripe.net's
/// <see cref="EventUtility"/> checks the <c>Stripe-Signature</c> header against Stripe:WebhookSecret
/// within Stripe:WebhookTolerance of Courier's clock, then reads the event.
/// </summary>
internal sealed class StripeWebhookReceiver(IOptions<StripeOptions> options, TimeProvider clock)
{
    public const string SignatureHeader = "Stripe-Signature";

    /// <exception cref="StripeWebhookRejectedException">The signature is missing or wrong, or the body is not an event; answer 400.</exception>
    public Event Receive(string? signatureHeader, string rawBody)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            throw new StripeWebhookRejectedException(WebhookRejectionReasons.NotConfigured,
                "Stripe:WebhookSecret is not set, so no webhook can be verified. Set it to the endpoint's signing secret (whsec_…).");
        }

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            throw new StripeWebhookRejectedException(WebhookRejectionReasons.MissingSignature,
                $"The request has no {SignatureHeader} header; only Stripe (or the simulated provider) may call this endpoint.");
        }

        try
        {
            EventUtility.ValidateSignature(rawBody, signatureHeader, settings.WebhookSecret,
                (long)settings.WebhookTolerance.TotalSeconds, clock.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException refused)
        {
            throw new StripeWebhookRejectedException(WebhookRejectionReasons.BadSignature,
                $"{refused.Message} If genuine Stripe events are refused, check that Stripe:WebhookSecret is this endpoint's signing secret "
                + "(whsec_… under Developers → Webhooks), that the raw body reaches Courier unchanged, and that this server's clock is right (NTP).",
                refused);
        }

        return Parse(rawBody);
    }

    /// <summary>Reads an event whose signature was already checked (a stored webhook body).</summary>
    /// <exception cref="StripeWebhookRejectedException">The body is not a Stripe event.</exception>
    public static Event Parse(string rawBody)
    {
        Event stripeEvent;
        try
        {
            // Courier reads the few fields it needs from events of any API version, as its webhook endpoint may be older than Stripe.net.
            stripeEvent = EventUtility.ParseEvent(rawBody, throwOnApiVersionMismatch: false);
        }
        catch (Exception unreadable) when (unreadable is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new StripeWebhookRejectedException(WebhookRejectionReasons.NotAnEvent, $"The signed body is not a Stripe event: {unreadable.Message}", unreadable);
        }

        if (stripeEvent?.Object != "event")
        {
            throw new StripeWebhookRejectedException(WebhookRejectionReasons.NotAnEvent,
                $"The signed body is not a Stripe event: it is a '{stripeEvent?.Object}' object, and only objects of type 'event' are accepted.");
        }

        return stripeEvent;
    }
}

/// <summary>
/// A webhook request that must not be acted on; <see cref="Exception.Message"/> says why (for the log and the 400 answer),
/// <see cref="Reason"/> says it in one word of <see cref="WebhookRejectionReasons"/> (for the metric).
/// </summary>
internal sealed class StripeWebhookRejectedException : Exception
{
    public StripeWebhookRejectedException() { }

    public StripeWebhookRejectedException(string message) : base(message) { }

    public StripeWebhookRejectedException(string message, Exception innerException) : base(message, innerException) { }

    public StripeWebhookRejectedException(string reason, string message, Exception? innerException = null) : base(message, innerException) => Reason = reason;

    public string Reason { get; } = WebhookRejectionReasons.Other;
}
