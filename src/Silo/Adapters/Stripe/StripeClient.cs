using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Courier.Grains.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// The one place Courier talks HTTP to Stripe: a hand-written stand-in for the parts of Stripe.net
/// that checkout uses (Stripe.net is not obtainable here). Every POST carries the caller's
/// idempotency key, the same on every retry, so a retried create never creates twice.
/// </summary>
internal sealed class StripeClient
{
    public const string HttpClientName = "Stripe";

    /// <summary>The API version every request is pinned to: the one the stripe npm package used in the tests is built for.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    private const int EventsPageSize = 100;
    private const int MaxIdempotencyKeyLength = 255;

    private readonly IHttpClientFactory httpClients;
    private readonly StripeOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger<StripeClient> logger;
    private readonly StripeRetryPolicy retryPolicy;
    private readonly Uri apiRoot;

    public StripeClient(IHttpClientFactory httpClients, IOptions<StripeOptions> options, TimeProvider clock, ILogger<StripeClient> logger)
    {
        this.httpClients = httpClients;
        this.options = options.Value;
        this.clock = clock;
        this.logger = logger;
        retryPolicy = new StripeRetryPolicy(this.options, Jitter);
        var root = this.options.ApiBase.OriginalString;
        apiRoot = new Uri(root.EndsWith('/') ? root : root + "/");
    }

    public Task<StripeCheckoutSession> CreateCheckoutSessionAsync(StripeParams parameters, string idempotencyKey, CancellationToken cancellationToken) =>
        PostAsync<StripeCheckoutSession>("v1/checkout/sessions", parameters, idempotencyKey, cancellationToken);

    public Task<StripeCheckoutSession> GetCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        GetAsync<StripeCheckoutSession>($"v1/checkout/sessions/{PathSegment(sessionId)}", cancellationToken);

    public Task<StripeCheckoutSession> ExpireCheckoutSessionAsync(string sessionId, string idempotencyKey, CancellationToken cancellationToken) =>
        PostAsync<StripeCheckoutSession>($"v1/checkout/sessions/{PathSegment(sessionId)}/expire", [], idempotencyKey, cancellationToken);

    public Task<StripeRefund> CreateRefundAsync(StripeParams parameters, string idempotencyKey, CancellationToken cancellationToken) =>
        PostAsync<StripeRefund>("v1/refunds", parameters, idempotencyKey, cancellationToken);

    /// <summary>
    /// Events created at or after <paramref name="createdSince"/> of the given types, newest first
    /// (Stripe's order), following the pages while Stripe says it has more.
    /// </summary>
    public async IAsyncEnumerable<StripeEvent> ListEventsAsync(
        DateTimeOffset createdSince, IReadOnlyCollection<string> types, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? startingAfter = null;
        while (true)
        {
            var query = new StripeParams
            {
                { "created", new StripeParams { { "gte", createdSince } } },
                { "types", types },
                { "limit", EventsPageSize },
                { "starting_after", startingAfter },
            };
            var page = await GetAsync<StripeList<JsonElement>>($"v1/events?{StripeFormEncoder.Encode(query)}", cancellationToken);
            foreach (var item in page.Data)
            {
                var stripeEvent = ReadEvent(item);
                startingAfter = stripeEvent.Id;
                yield return stripeEvent;
            }

            if (!page.HasMore || page.Data.Count == 0)
            {
                yield break;
            }
        }
    }

    private static StripeEvent ReadEvent(JsonElement item)
    {
        try
        {
            return StripeEvent.FromJson(item);
        }
        catch (JsonException unreadable)
        {
            throw new PaymentProviderException(
                $"Stripe listed an event Courier cannot read ({unreadable.Message}). Courier pins Stripe-Version {ApiVersion}.",
                isRetryable: false, innerException: unreadable);
        }
    }

    private Task<T> GetAsync<T>(string relativePath, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, relativePath, body: null, idempotencyKey: null, cancellationToken);

    private Task<T> PostAsync<T>(string relativePath, StripeParams parameters, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            throw new ArgumentException(
                $"Stripe accepts idempotency keys of up to {MaxIdempotencyKeyLength} characters; '{idempotencyKey[..40]}…' has {idempotencyKey.Length}.",
                nameof(idempotencyKey));
        }

        return SendAsync<T>(HttpMethod.Post, relativePath, StripeFormEncoder.Encode(parameters), idempotencyKey, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string relativePath, string? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var uri = new Uri(apiRoot, relativePath);
        for (var retry = 0; ; retry++)
        {
            TimeSpan? delay;
            try
            {
                var answer = await SendOnceAsync(method, uri, body, idempotencyKey, cancellationToken);
                if (answer.IsSuccess)
                {
                    return ReadObject<T>(answer, method, uri);
                }

                var retryable = StripeRetryPolicy.IsRetryableAnswer(answer.Status, answer.ShouldRetry);
                delay = retryable && retry < retryPolicy.MaxRetries ? retryPolicy.DelayBeforeRetry(retry + 1, answer.RetryAfter) : null;
                if (delay is null)
                {
                    throw StripeErrors.ToException(answer, method, uri, idempotencyKey, retryable);
                }

                logger.LogWarning("Stripe answered {Method} {Path} with {Status} (request {RequestId}); retry {Retry} of {MaxRetries} in {Delay}",
                    method, uri.AbsolutePath, (int)answer.Status, answer.RequestId, retry + 1, retryPolicy.MaxRetries, delay);
            }
            catch (StripeUnreachableException unreachable)
            {
                delay = retry < retryPolicy.MaxRetries ? retryPolicy.DelayBeforeRetry(retry + 1, retryAfter: null) : null;
                if (delay is null)
                {
                    throw new PaymentNetworkException(
                        $"Stripe could not be reached for {method} {uri.AbsolutePath} after {retry + 1} attempt(s): {unreachable.Message} "
                        + "Whether Stripe acted is unknown: retry later with the same idempotency key, which makes a repeat safe.",
                        unreachable.InnerException ?? unreachable);
                }

                logger.LogWarning(unreachable.InnerException, "Stripe unreachable for {Method} {Path}; retry {Retry} of {MaxRetries} in {Delay}",
                    method, uri.AbsolutePath, retry + 1, retryPolicy.MaxRetries, delay);
            }

            await Task.Delay(delay.Value, clock, cancellationToken);
        }
    }

    private async Task<StripeAnswer> SendOnceAsync(HttpMethod method, Uri uri, string? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(options.Timeout);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.SecretKey);
        request.Headers.Add("Stripe-Version", ApiVersion);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Courier", "1.0"));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token);
            var text = await response.Content.ReadAsStringAsync(attemptTimeout.Token);
            return new StripeAnswer(
                response.StatusCode,
                text,
                FirstHeader(response, "Request-Id"),
                FirstHeader(response, StripeRetryPolicy.ShouldRetryHeader) switch { "true" => true, "false" => false, _ => null },
                RetryAfter(response));
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StripeUnreachableException($"No answer within {options.Timeout.TotalSeconds:0.#} s (Stripe:Timeout).", timeout);
        }
        catch (HttpRequestException network)
        {
            throw new StripeUnreachableException(network.Message, network);
        }
        catch (IOException network)
        {
            throw new StripeUnreachableException(network.Message, network);
        }
    }

    private static T ReadObject<T>(StripeAnswer answer, HttpMethod method, Uri uri)
    {
        try
        {
            return StripeJson.Deserialize<T>(answer.Body);
        }
        catch (JsonException unreadable)
        {
            throw new PaymentProviderException(
                $"Stripe answered {method} {uri.AbsolutePath} with {(int)answer.Status} but a body Courier cannot read ({unreadable.Message}). "
                + $"Courier pins Stripe-Version {ApiVersion}; if Stripe:ApiBase points at a proxy, check that it passes Stripe's answers through.",
                isRetryable: false, statusCode: (int)answer.Status, requestId: answer.RequestId, innerException: unreadable);
        }
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string PathSegment(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }

    private static double Jitter() => RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue;

    /// <summary>A transport failure of one attempt; turned into <see cref="PaymentNetworkException"/> once the retries run out.</summary>
    private sealed class StripeUnreachableException(string message, Exception inner) : Exception(message, inner);
}

/// <summary>One HTTP answer from Stripe, read whole.</summary>
/// <param name="ShouldRetry">Stripe's <c>Stripe-Should-Retry</c> header, when it sent one.</param>
internal sealed record StripeAnswer(HttpStatusCode Status, string Body, string? RequestId, bool? ShouldRetry, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}
