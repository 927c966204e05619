namespace Courier.Silo.Adapters.Stripe;

/// <summary>Settings of the "Stripe" configuration section (environment: <c>Stripe__SecretKey</c>…).</summary>
internal sealed class StripeOptions
{
    public const string SectionName = "Stripe";

    /// <summary>The API secret key (<c>sk_live_…</c>, <c>sk_test_…</c> or a restricted <c>rk_…</c>).</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>), shown in Stripe's dashboard.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Stripe's API root; tests point it at a local stand-in.</summary>
    public Uri ApiBase { get; set; } = new("https://api.stripe.com");

    /// <summary>How long one attempt may take before it counts as a network failure and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stripe.net's retries after the first attempt (its <c>maxNetworkRetries</c>): network errors,
    /// timeouts, 409 and 5xx answers, and whatever Stripe marks <c>Stripe-Should-Retry: true</c>,
    /// with the same idempotency key and a backoff of 0.5 s doubling up to 5 s.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>How far a webhook's signed timestamp may be from now (Stripe's libraries use 5 minutes).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
