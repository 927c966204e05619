using System.Diagnostics;
using Courier.Grains.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeClientTests : IAsyncLifetime
{
    private FakeStripeApi fake = null!;

    public async Task InitializeAsync() => fake = await FakeStripeApi.StartAsync();

    public async Task DisposeAsync() => await fake.DisposeAsync();

    [Fact]
    public async Task CreateCheckoutSession_SendsStripeFormWithKeyVersionAndIdempotencyKey()
    {
        using var services = StripeServices.For(fake);

        var session = await services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_1"), "checkout:ord_1:1", CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/checkout/sessions", request.Path);
        Assert.Equal($"Bearer {FakeStripeApi.SecretKey}", request.Header("Authorization"));
        Assert.Equal("checkout:ord_1:1", request.Header("Idempotency-Key"));
        Assert.Equal(StripeClient.ApiVersion, request.Header("Stripe-Version"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(
            "mode=payment&client_reference_id=ord_1&line_items[0][price_data][currency]=usd"
            + "&line_items[0][price_data][product_data][name]=Field%20Guide&line_items[0][price_data][unit_amount]=4900"
            + "&line_items[0][quantity]=2&metadata[order_id]=ord_1",
            request.Body);
        Assert.Equal("open", session.Status);
        Assert.Equal(9800, session.AmountTotal);
        Assert.Equal($"https://checkout.stripe.com/c/pay/{session.Id}", session.Url?.ToString());
    }

    [Fact]
    public async Task CreateCheckoutSession_ServerErrorThenSuccess_RetriesWithTheSameIdempotencyKey()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(500, "api_error", null, "An unknown error occurred."));

        var session = await services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_2"), "checkout:ord_2:1", CancellationToken.None);

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, request => Assert.Equal("checkout:ord_2:1", request.Header("Idempotency-Key")));
        Assert.Equal(fake.Requests[0].Body, fake.Requests[1].Body);
        Assert.Equal("ord_2", session.ClientReferenceId);
    }

    [Fact]
    public async Task CreateCheckoutSession_ServerErrorsThroughAllRetries_ThrowsRetryableProviderError()
    {
        using var services = StripeServices.For(fake);
        for (var i = 0; i < 3; i++)
        {
            fake.EnqueueReply(FakeStripeReply.Error(503, "api_error", null, "Stripe is down for maintenance."));
        }

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_3"), "checkout:ord_3:1", CancellationToken.None));

        Assert.Equal(3, fake.Requests.Count);
        Assert.True(error.IsRetryable);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal("Stripe is down for maintenance.", error.ProviderMessage);
        Assert.Equal("req_fake_3", error.RequestId);
    }

    [Fact]
    public async Task CreateRefund_CardDeclined402_ThrowsDeclinedWithoutRetrying()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(402, "card_error", "card_declined", "Your card has insufficient funds.", declineCode: "insufficient_funds"));

        var error = await Assert.ThrowsAsync<PaymentDeclinedException>(
            () => services.Client().CreateRefundAsync(new StripeParams { { "payment_intent", "pi_1" } }, "refund:1", CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.False(error.IsRetryable);
        Assert.Equal("card_declined", error.Code);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.Equal("Your card has insufficient funds.", error.ProviderMessage);
        Assert.Contains("another payment method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCheckoutSession_RateLimitedWithRetryAfter_WaitsThatLongThenRetries()
    {
        using var services = StripeServices.For(fake);
        var created = await services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_4"), "checkout:ord_4:1", CancellationToken.None);
        fake.EnqueueReply(FakeStripeReply.Error(429, "invalid_request_error", "rate_limit", "Too many requests.",
            headers: new Dictionary<string, string> { ["Retry-After"] = "1" }));

        var session = await services.Client().GetCheckoutSessionAsync(created.Id, CancellationToken.None);

        var (limited, retried) = (fake.Requests[1], fake.Requests[2]);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(created.Id, session.Id);
        Assert.True(retried.ReceivedAt - limited.ReceivedAt >= TimeSpan.FromMilliseconds(900),
            $"retried after {(retried.ReceivedAt - limited.ReceivedAt).TotalMilliseconds} ms although Stripe asked for 1 s");
    }

    [Fact]
    public async Task GetCheckoutSession_StripeShouldRetryFalse_IsNotRetriedEvenOn500()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(FakeStripeReply.Error(500, "api_error", null, "Request was processed; do not retry.",
            headers: new Dictionary<string, string> { ["Stripe-Should-Retry"] = "false" }));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Client().GetCheckoutSessionAsync("cs_test_1", CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task CreateCheckoutSession_ConnectionDroppedEveryTime_ThrowsNetworkErrorAfterRetries()
    {
        using var services = StripeServices.For(fake);
        for (var i = 0; i < 3; i++)
        {
            fake.EnqueueReply(FakeStripeReply.Drop());
        }

        var error = await Assert.ThrowsAsync<PaymentNetworkException>(
            () => services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_5"), "checkout:ord_5:1", CancellationToken.None));

        Assert.Equal(3, fake.Requests.Count);
        Assert.All(fake.Requests, request => Assert.Equal("checkout:ord_5:1", request.Header("Idempotency-Key")));
        Assert.True(error.IsRetryable);
        Assert.Contains("after 3 attempt(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCheckoutSession_ServerGone_ThrowsNetworkError()
    {
        using var services = StripeServices.For(fake);
        await fake.DisposeAsync();

        var error = await Assert.ThrowsAsync<PaymentNetworkException>(
            () => services.Client().GetCheckoutSessionAsync("cs_test_1", CancellationToken.None));

        Assert.True(error.IsRetryable);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task CreateCheckoutSession_FirstAttemptTimesOut_RetriesAndSucceeds()
    {
        using var services = StripeServices.For(fake, ("Stripe:Timeout", "00:00:00.300"));
        fake.EnqueueReply(FakeStripeReply.Error(500, "api_error", null, "slow") with { Delay = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();

        var session = await services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_6"), "checkout:ord_6:1", CancellationToken.None);

        Assert.Equal("ord_6", session.ClientReferenceId);
        Assert.Equal(2, fake.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}: the slow attempt was not cut off");
    }

    [Fact]
    public async Task GetCheckoutSession_UnknownId_ThrowsNotFoundWithoutRetrying()
    {
        using var services = StripeServices.For(fake);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Client().GetCheckoutSessionAsync("cs_test_missing", CancellationToken.None));

        Assert.Single(fake.Requests);
        Assert.Equal("/v1/checkout/sessions/cs_test_missing", fake.Requests[0].Path);
        Assert.False(error.IsRetryable);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("resource_missing", error.Code);
        Assert.Equal("invalid_request_error", error.ErrorType);
    }

    [Fact]
    public async Task GetCheckoutSession_WrongSecretKey_SaysWhichSettingToFix()
    {
        using var services = StripeServices.For(fake, ("Stripe:SecretKey", "sk_test_wrong"));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Client().GetCheckoutSessionAsync("cs_test_1", CancellationToken.None));

        Assert.Equal(401, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("Stripe:SecretKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCheckoutSession_SameKeyDifferentRequest_ThrowsIdempotencyErrorNamingTheKey()
    {
        using var services = StripeServices.For(fake);
        await services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_7"), "checkout:ord_7:1", CancellationToken.None);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Client().CreateCheckoutSessionAsync(SessionParameters("ord_8"), "checkout:ord_7:1", CancellationToken.None));

        Assert.Equal("idempotency_error", error.ErrorType);
        Assert.False(error.IsRetryable);
        Assert.Contains("'checkout:ord_7:1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCheckoutSession_SuccessBodyNotStripeJson_ThrowsProviderErrorNamingTheVersion()
    {
        using var services = StripeServices.For(fake);
        fake.EnqueueReply(new FakeStripeReply(200, "<html>proxy login</html>", new Dictionary<string, string>()));

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => services.Client().GetCheckoutSessionAsync("cs_test_1", CancellationToken.None));

        Assert.False(error.IsRetryable);
        Assert.Contains(StripeClient.ApiVersion, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListEvents_SeveralPages_FollowsHasMoreUntilTheEnd()
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

        var listed = new List<StripeEvent>();
        await foreach (var stripeEvent in services.Client().ListEventsAsync(since, StripeEvent.HandledTypes, CancellationToken.None))
        {
            listed.Add(stripeEvent);
        }

        expectedIds.Reverse();
        Assert.Equal(expectedIds, listed.Select(stripeEvent => stripeEvent.Id));
        Assert.Equal(3, fake.Requests.Count);
        var first = fake.Requests[0];
        Assert.Equal("/v1/events", first.Path);
        Assert.Equal("1760000000", first.Query["created[gte]"]);
        Assert.Equal("checkout.session.completed", first.Query["types[0]"]);
        Assert.Equal("charge.dispute.created", first.Query["types[6]"]);
        Assert.False(first.Query.ContainsKey("starting_after"));
        Assert.Equal(expectedIds[1], fake.Requests[1].Query["starting_after"]);
        Assert.Equal(expectedIds[3], fake.Requests[2].Query["starting_after"]);
    }

    private static StripeParams SessionParameters(string orderId) => new()
    {
        { "mode", "payment" },
        { "client_reference_id", orderId },
        {
            "line_items", new[]
            {
                new StripeParams
                {
                    { "price_data", new StripeParams { { "currency", "usd" }, { "product_data", new StripeParams { { "name", "Field Guide" } } }, { "unit_amount", 4900 } } },
                    { "quantity", 2 },
                },
            }
        },
        { "metadata", new StripeParams { { "order_id", orderId } } },
    };
}
