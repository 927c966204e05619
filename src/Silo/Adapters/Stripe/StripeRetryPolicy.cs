using System.Net;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// When to try a Stripe request again, and after how long. Follows Stripe's own libraries: retry
/// network failures, 409 (a request with the same idempotency key is still running), 429 and 5xx;
/// never other 4xx (a declined card or a bad request stays so); Stripe's <c>Stripe-Should-Retry</c>
/// header, when sent, overrides the status code either way.
/// </summary>
internal sealed class StripeRetryPolicy(StripeOptions options, Func<double> nextRandom)
{
    public const string ShouldRetryHeader = "Stripe-Should-Retry";

    public int MaxRetries => options.MaxRetries;

    public static bool IsRetryableAnswer(HttpStatusCode status, bool? stripeShouldRetry) =>
        stripeShouldRetry ?? (status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests || (int)status >= 500);

    /// <summary>
    /// The pause before retry number <paramref name="retry"/> (1 = first retry): the base delay doubled
    /// per retry, capped at the maximum, scaled by a random factor in [0.5, 1) so that clients that failed
    /// together do not retry together, and never shorter than what Stripe asked for in <c>Retry-After</c>.
    /// Null when Stripe asked for a longer pause than the maximum: better to give up now and let the outbox retry later.
    /// </summary>
    public TimeSpan? DelayBeforeRetry(int retry, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (retryAfter > options.MaxRetryDelay)
        {
            return null;
        }

        var exponential = options.RetryBaseDelay * Math.Pow(2, retry - 1);
        var capped = exponential < options.MaxRetryDelay ? exponential : options.MaxRetryDelay;
        var jittered = capped * (0.5 * (1 + nextRandom()));
        return retryAfter > jittered ? retryAfter : jittered;
    }
}
