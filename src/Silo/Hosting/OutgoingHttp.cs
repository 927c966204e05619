using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Courier.Silo.Hosting;

/// <summary>
/// The one place Courier's outgoing HTTP clients get their resilience, from
/// Microsoft.Extensions.Http.Resilience: the standard handler's strategies in its order — a total
/// timeout, retries with jittered exponential backoff, a circuit breaker, a timeout per attempt —
/// tuned for calls whose failures Courier's own schedules (deliveries, outbox) retry later anyway.
/// Every client made with <c>AddHttpClient</c> in Courier goes through
/// <see cref="AddCourierResilience"/>. Stripe's is not one of them: Stripe.net sends through its own
/// client, with its own retries and idempotency keys.
/// </summary>
internal static class OutgoingHttp
{
    /// <summary>
    /// Set to true on a POST whose repeat is harmless (keyed by an idempotency key the receiver
    /// honours); without it only GET, HEAD, OPTIONS, PUT and DELETE are retried.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("Courier.OutgoingHttp.Idempotent");

    /// <summary>
    /// A few quick retries absorb a blip; longer outages belong to the delivery and outbox
    /// schedules, and more retries here would multiply the load on a host that is already failing.
    /// </summary>
    public const int MaxRetries = 2;

    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The whole call, retries included: room for one full attempt and the quick failures around it.</summary>
    public static TimeSpan TotalTimeout(TimeSpan attemptTimeout) => attemptTimeout * 2 + TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds the resilience pipeline to a client. <paramref name="attemptTimeout"/> reads the
    /// client's own setting (how long one request may take); the total timeout and the circuit
    /// breaker's sampling window follow from it.
    /// </summary>
    public static IHttpClientBuilder AddCourierResilience(this IHttpClientBuilder builder, Func<IServiceProvider, TimeSpan> attemptTimeout)
    {
        // HttpClient reads a buffered body after the handlers return, outside the attempt timeout;
        // its own timeout keeps a host that sends headers and then stalls from holding the call.
        builder.ConfigureHttpClient((services, http) => http.Timeout = TotalTimeout(attemptTimeout(services)));
        builder.AddResilienceHandler("courier", (pipeline, context) =>
        {
            // Network timeouts and backoff are wall-clock matters. The app's TimeProvider (which
            // Polly would take from DI) is a frozen fake in tests, where a retry delay would never end.
            pipeline.TimeProvider = TimeProvider.System;
            var attempt = attemptTimeout(context.ServiceProvider);
            pipeline
                .AddTimeout(new HttpTimeoutStrategyOptions { Name = "TotalTimeout", Timeout = TotalTimeout(attempt) })
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = RetryDelay,
                    // A long Retry-After is the host asking for the later schedule, not for a wait inside this call.
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args)),
                })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    SamplingDuration = Max(TimeSpan.FromSeconds(30), attempt * 2),
                })
                .AddTimeout(new HttpTimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = attempt });
        });
        return builder;
    }

    private static bool ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
    {
        // An attempt that timed out is not repeated: the host may still be working on it, and a
        // second full wait would double the time before the delivery's own retry takes over.
        if (args.Outcome.Exception is TimeoutRejectedException) return false;
        if (!HttpClientResiliencePredicates.IsTransient(args.Outcome)) return false;
        var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
        return request is not null && IsIdempotent(request);
    }

    private static bool IsIdempotent(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
        || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
        || (request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
