using System.Diagnostics;
using Courier.Abstractions.Payments;
using Courier.Grains.Payments;
using Courier.TestSupport.Stripe;
using Stripe;

namespace Courier.Silo.Tests.Stripe;

/// <summary>How the Stripe gateway talks to Stripe (through Stripe.net) and what it makes of Stripe's failures.</summary>
public sealed class StripeGatewayFailureTests : IAsyncLifetime
{
    private FakeStripeApi fake = null!;

    public async Task InitializeAsync() => fake = await FakeStripeApi.StartAsync();

    public async Task DisposeAsync() => await fake.DisposeAsync();

    [Fact]
    public async Task OpenSession_SendsStripeFormWithKeyVersionAndIdempotencyKey()
    {
        using var services = StripeServices.For(fake);

        var session = await services.Gateway().OpenSessionAsync(SessionRequest("ord_1"), CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/checkout/sessions", request.Path);
        Assert.Equal($"Bearer {FakeStripeApi.SecretKey}", request.Header("Authorization"));
        Assert.Equal("checkout:ord_1:1", request.Header("Idempotency-Key"));
        Assert.Equal(StripeConfiguration.ApiVersion, request.Header("Stripe-Version"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Field Guide", request.Form["line_items[0][price_data][product_data][name]"]);
        Assert.Equal("4900", request.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("2", request.Form["line_items[0][quantity]"]);
        Assert.Equal("ord_1", request.Form["metadata[order_id]"]);
        Assert.Equal($"https://checkout.stripe.com/c/pay/{session.SessionId}", session.RedirectUrl.ToString());
        Assert.Equal(new PaymentSessionStatus(session.SessionId, PaymentSessionState.Open, "ord_1", null, 9800, "usd"),
            await services.Gateway().GetSessionStatusAsync(session.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task OpenSession_ServerErrorThenSuccess_RetriesWithTheSameIdempotencyKey()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(500, "api_error", null, "An unknown error occurred."));

        var session = await services.Gateway().OpenSessionAsync(SessionRequest("ord_2"), CancellationToken.None);

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, request => Assert.Equal("checkout:ord_2:1", request.Header("Idempotency-Key")));
        Assert.Equal(fake.Requests[0].Body, fake.Requests[1].Body);
        Assert.Equal("ord_2", (await services.Gateway().GetSessionStatusAsync(session.SessionId, CancellationToken.None)).OrderId);
    }

    [Fact]
    public async Task OpenSession_ServerErrorsThroughAllRetries_ThrowsRetryableProviderError()
    {
        using var services = StripeServices.For(fake);
        for (var i = 0; i < 3; i++)
        {
            fake.EnqueueReply(FakeStripeReply.Error(503, "api_error", null, "Stripe is down for maintenance."));
        }

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().OpenSessionAsync(SessionRequest("ord_3"), CancellationToken.None));

        Assert.Equal(3, fake.Requests.Count);
        Assert.True(error.IsRetryable);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal("Stripe is down for maintenance.", error.ProviderMessage);
        Assert.Equal("req_fake_3", error.RequestId);
    }

    [Fact]
    public async Task Refund_CardDeclined402_ThrowsDeclinedWithoutRetrying()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(402, "card_error", "card_declined", "Your card has insufficient funds.", declineCode: "insufficient_funds"));

        var error = await Assert.ThrowsAsync<PaymentDeclinedException>(
            () => services.Gateway().RefundAsync(new RefundRequest("pi_1", null, "refund:1"), CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.False(error.IsRetryable);
        Assert.Equal("card_declined", error.Code);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.Equal("Your card has insufficient funds.", error.ProviderMessage);
        Assert.Contains("another payment method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionStatus_RateLimitedAndStripeSaysRetry_RetriesThenSucceeds()
    {
        using var services = StripeServices.For(fake);
        var created = await services.Gateway().OpenSessionAsync(SessionRequest("ord_4"), CancellationToken.None);
        fake.EnqueueReply(FakeStripeReply.Error(429, "invalid_request_error", "lock_timeout", "This object cannot be accessed right now.",
            headers: new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" }));

        var status = await services.Gateway().GetSessionStatusAsync(created.SessionId, CancellationToken.None);

        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(created.SessionId, status.SessionId);
        Assert.Equal(fake.Requests[1].Path, fake.Requests[2].Path);
    }

    [Fact]
    public async Task GetSessionStatus_RateLimited_LeavesTheRetryToTheOutbox()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(429, "invalid_request_error", "rate_limit", "Too many requests.",
            headers: new Dictionary<string, string> { ["Retry-After"] = "1" }));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().GetSessionStatusAsync("cs_test_1", CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.True(error.IsRetryable);
        Assert.Equal(429, error.StatusCode);
        Assert.Contains("rate-limiting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionStatus_StripeShouldRetryFalse_IsNotRetriedEvenOn500()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(500, "api_error", null, "Request was processed; do not retry.",
            headers: new Dictionary<string, string> { ["Stripe-Should-Retry"] = "false" }));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().GetSessionStatusAsync("cs_test_1", CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task OpenSession_ConnectionDroppedEveryTime_ThrowsNetworkErrorAfterRetries()
    {
        using var services = StripeServices.For(fake);
        for (var i = 0; i < 3; i++)
        {
            fake.EnqueueReply(FakeStripeReply.Drop());
        }

        var error = await Assert.ThrowsAsync<PaymentNetworkException>(
            () => services.Gateway().OpenSessionAsync(SessionRequest("ord_5"), CancellationToken.None));

        Assert.Equal(3, fake.Requests.Count);
        Assert.All(fake.Requests, request => Assert.Equal("checkout:ord_5:1", request.Header("Idempotency-Key")));
        Assert.True(error.IsRetryable);
        Assert.Contains("after 3 attempt(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionStatus_ServerGone_ThrowsNetworkError()
    {
        using var services = StripeServices.For(fake);
        await fake.DisposeAsync();

        var error = await Assert.ThrowsAsync<PaymentNetworkException>(
            () => services.Gateway().GetSessionStatusAsync("cs_test_1", CancellationToken.None));

        Assert.True(error.IsRetryable);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task OpenSession_FirstAttemptTimesOut_RetriesAndSucceeds()
    {
        using var services = StripeServices.For(fake, ("Stripe:Timeout", "00:00:00.300"));
        fake.EnqueueReply(FakeStripeReply.Error(500, "api_error", null, "slow") with { Delay = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();

        var session = await services.Gateway().OpenSessionAsync(SessionRequest("ord_6"), CancellationToken.None);

        Assert.Equal(2, fake.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}: the slow attempt was not cut off");
        Assert.Equal("ord_6", (await services.Gateway().GetSessionStatusAsync(session.SessionId, CancellationToken.None)).OrderId);
    }

    [Fact]
    public async Task GetSessionStatus_UnknownId_ThrowsNotFoundWithoutRetrying()
    {
        using var services = StripeServices.For(fake);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().GetSessionStatusAsync("cs_test_missing", CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.Equal("/v1/checkout/sessions/cs_test_missing", fake.Requests[0].Path);
        Assert.False(error.IsRetryable);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("resource_missing", error.Code);
        Assert.Equal("invalid_request_error", error.ErrorType);
    }

    [Fact]
    public async Task GetSessionStatus_WrongSecretKey_SaysWhichSettingToFix()
    {
        using var services = StripeServices.For(fake, ("Stripe:SecretKey", "sk_test_wrong"));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().GetSessionStatusAsync("cs_test_1", CancellationToken.None));

        Assert.Equal(401, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("Stripe:SecretKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSession_SameKeyDifferentRequest_ThrowsIdempotencyErrorNamingTheKey()
    {
        using var services = StripeServices.For(fake);
        await services.Gateway().OpenSessionAsync(SessionRequest("ord_7"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().OpenSessionAsync(SessionRequest("ord_8") with { IdempotencyKey = "checkout:ord_7:1" }, CancellationToken.None));

        Assert.Equal("idempotency_error", error.ErrorType);
        Assert.False(error.IsRetryable);
        Assert.Contains("'checkout:ord_7:1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionStatus_SuccessBodyNotStripeJson_ThrowsProviderErrorNamingTheVersion()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(new FakeStripeReply(200, "<html>proxy login</html>", new Dictionary<string, string>()));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Gateway().GetSessionStatusAsync("cs_test_1", CancellationToken.None));

        Assert.False(error.IsRetryable);
        Assert.Contains(StripeConfiguration.ApiVersion, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListEventsSince_SeveralPages_FollowsHasMoreUntilTheEnd()
    {
        using var services = StripeServices.For(fake);
        fake.EventsPageSize = 2;
        var since = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);
        fake.AddEvent("checkout.session.completed", StripeFixtures.Resource("checkout.session"), since.AddMinutes(-1));
        var expectedIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            expectedIds.Add((string)fake.AddEvent("checkout.session.completed", StripeFixtures.Resource("checkout.session"), since.AddSeconds(i))["id"]!);
        }

        fake.AddEvent("customer.created", StripeFixtures.Resource("customer"), since.AddSeconds(10));

        var listed = await services.Gateway().ListEventsSinceAsync(since, CancellationToken.None);

        Assert.Equal(expectedIds, listed.Select(paymentEvent => paymentEvent.EventId));
        Assert.Equal(3, fake.Requests.Count);
        var first = fake.Requests[0];
        Assert.Equal("/v1/events", first.Path);
        Assert.Equal("1760000000", first.Query["created[gte]"]);
        Assert.Equal("checkout.session.completed", first.Query["types[0]"]);
        Assert.Equal("charge.dispute.created", first.Query["types[6]"]);
        Assert.False(first.Query.ContainsKey("starting_after"));
        Assert.Equal(expectedIds[^2], fake.Requests[1].Query["starting_after"]);
        Assert.Equal(expectedIds[^4], fake.Requests[2].Query["starting_after"]);
    }

    private static PaymentSessionRequest SessionRequest(string orderId) => new(
        orderId,
        [new PaymentLine("Field Guide", 4900, 2)],
        "usd",
        null,
        new Uri($"https://shop.example/orders/{orderId}/paid"),
        new Uri("https://shop.example/cart"),
        DateTimeOffset.UtcNow.AddHours(1),
        $"checkout:{orderId}:1");
}
