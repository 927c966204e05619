using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Silo.Commerce;
using Courier.TestSupport;
using Courier.TestSupport.Node;
using Courier.TestSupport.Stripe;
using Stripe;

namespace Courier.WebFront.Tests.Commerce;

public sealed class WebhookTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static readonly string Secret = CommerceServiceCollectionExtensions.SimulatedWebhookSecret;

    [Fact]
    public async Task Each_event_delivered_three_times_in_reversed_order_gives_one_paid_order_and_one_receipt()
    {
        var (shopper, orderId, sessionId) = await PendingOrderAsync("prod_wh_dupes", 5000);
        string[] events =
        [
            SessionEvent("evt_t1_completed", "checkout.session.completed", orderId, sessionId, "unpaid", 5000),
            AttemptFailedEvent("evt_t1_attempt", orderId, sessionId),
            SessionEvent("evt_t1_succeeded", "checkout.session.async_payment_succeeded", orderId, sessionId, "paid", 5000),
        ];

        for (var round = 0; round < 3; round++)
            foreach (var body in events.Reverse())
                Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(body, EventUtility.GenerateSignatureHeader(body, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()))).StatusCode);

        var order = await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
        await Task.Delay(1000);
        Assert.Equal("fulfilling", (await shopper.OrderAsync(orderId)).GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(1, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM mailbox WHERE order_id = $1 AND kind = 'receipt'", orderId));
        Assert.Equal(3, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM payment_events WHERE event_id LIKE 'evt_t1_%'"));
        Assert.Equal(1, order.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "OrderStepped"
            && e.GetProperty("data").GetProperty("to").GetString() == "Paid"));
    }

    [Fact]
    public async Task Expiry_reported_after_payment_does_not_undo_the_payment()
    {
        var (shopper, orderId, sessionId) = await PendingOrderAsync("prod_wh_late_expiry", 700);
        var paid = SessionEvent("evt_t2_paid", "checkout.session.completed", orderId, sessionId, "paid", 700);
        var expired = SessionEvent("evt_t2_expired", "checkout.session.expired", orderId, sessionId, "unpaid", 700);

        await PostWebhookAsync(paid, EventUtility.GenerateSignatureHeader(paid, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
        await PostWebhookAsync(expired, EventUtility.GenerateSignatureHeader(expired, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM outbox WHERE status = 'pending' AND message_type LIKE '%ApplyPaymentEvent'") == 0);

        Assert.Equal("fulfilling", (await shopper.OrderAsync(orderId)).GetProperty("order").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("tampered-body")]
    [InlineData("ten-minutes-old")]
    [InlineData("no-signature")]
    public async Task Badly_signed_webhook_is_rejected_with_400_and_changes_nothing(string fault)
    {
        var (shopper, orderId, sessionId) = await PendingOrderAsync($"prod_wh_{fault.Replace('-', '_')}", 900);
        var body = SessionEvent($"evt_bad_{fault}", "checkout.session.completed", orderId, sessionId, "paid", 900);
        var (sentBody, header) = fault switch
        {
            "wrong-secret" => (body, EventUtility.GenerateSignatureHeader(body, "whsec_someone_else", DateTimeOffset.UtcNow.ToUnixTimeSeconds())),
            "tampered-body" => (body.Replace("\"amount_total\":900", "\"amount_total\":1", StringComparison.Ordinal), EventUtility.GenerateSignatureHeader(body, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds())),
            "ten-minutes-old" => (body, EventUtility.GenerateSignatureHeader(body, Secret, DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds())),
            _ => (body, (string?)null),
        };

        using var response = await PostWebhookAsync(sentBody, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await Task.Delay(500);
        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM payment_events WHERE event_id = $1", $"evt_bad_{fault}"));
        Assert.Equal("pendingPayment", (await shopper.OrderAsync(orderId)).GetProperty("order").GetProperty("status").GetString());
    }

    public static TheoryData<string, string> EveryHandledTypeWithAnotherObject => new()
    {
        { EventTypes.CheckoutSessionCompleted, "charge" },
        { EventTypes.CheckoutSessionAsyncPaymentSucceeded, "payment_intent" },
        { EventTypes.CheckoutSessionAsyncPaymentFailed, "refund" },
        { EventTypes.CheckoutSessionExpired, "dispute" },
        { EventTypes.PaymentIntentPaymentFailed, "checkout.session" },
        { EventTypes.ChargeRefunded, "payment_intent" },
        { EventTypes.ChargeDisputeCreated, "charge" },
    };

    [Theory]
    [MemberData(nameof(EveryHandledTypeWithAnotherObject))]
    public async Task Correctly_signed_event_carrying_another_object_than_its_type_is_a_400_naming_the_event_and_stores_nothing(string type, string carried)
    {
        Assert.Contains(type, Courier.Silo.Adapters.Stripe.StripeEvents.HandledTypes);
        var eventId = $"evt_mismatch_{Guid.NewGuid():N}"[..24];
        var body = StripeFixtures.Event(type, StripeFixtures.Resource(carried), eventId).ToJsonString();

        using var response = await PostWebhookAsync(body, EventUtility.GenerateSignatureHeader(body, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(eventId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM payment_events WHERE event_id = $1", eventId));
    }

    [Fact]
    public async Task Correctly_signed_event_with_a_malformed_session_is_rejected_with_400_and_changes_nothing()
    {
        var (shopper, orderId, sessionId) = await PendingOrderAsync("prod_wh_malformed", 950);
        var body = JsonSerializer.Serialize(new
        {
            id = "evt_malformed", @object = "event", api_version = "2026-10-28.endive", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            livemode = false, type = "checkout.session.completed",
            data = new { @object = new { id = sessionId, @object = "checkout.session", client_reference_id = orderId, payment_status = "paid" } },
        });

        using var response = await PostWebhookAsync(body, EventUtility.GenerateSignatureHeader(body, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("evt_malformed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM payment_events WHERE event_id = 'evt_malformed'"));
        Assert.Equal("pendingPayment", (await shopper.OrderAsync(orderId)).GetProperty("order").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Webhook_signed_by_the_official_stripe_library_is_accepted()
    {
        var (shopper, orderId, sessionId) = await PendingOrderAsync("prod_wh_npm", 1100);
        var body = SessionEvent("evt_t3_npm", "checkout.session.completed", orderId, sessionId, "paid", 1100);
        var header = await NodeTestPackages.RunScriptAsync("stripe-header.mjs",
            JsonSerializer.Serialize(new { payload = body, secret = Secret, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }), "generate");

        using var response = await PostWebhookAsync(body, header.Trim());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
    }

    private async Task<(ApiSession Shopper, string OrderId, string SessionId)> PendingOrderAsync(string productId, long price)
    {
        await factory.SeedProductAsync(productId, price);
        var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync(productId);
        var (orderId, redirect) = await shopper.CheckoutAsync();
        return (shopper, orderId, redirect["/pay/".Length..]);
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, string? signature)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/stripe", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    private static string SessionEvent(string eventId, string type, string orderId, string sessionId, string paymentStatus, long amount) =>
        Event(eventId, type, new JsonObject
        {
            ["id"] = sessionId,
            ["object"] = "checkout.session",
            ["url"] = null,
            ["status"] = type == "checkout.session.expired" ? "expired" : "complete",
            ["payment_status"] = paymentStatus,
            ["payment_intent"] = "pi_" + sessionId,
            ["amount_total"] = amount,
            ["currency"] = "usd",
            ["client_reference_id"] = orderId,
            ["metadata"] = new JsonObject { ["order_id"] = orderId },
            ["expires_at"] = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds(),
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
        });

    private static string AttemptFailedEvent(string eventId, string orderId, string sessionId) =>
        Event(eventId, "payment_intent.payment_failed", new JsonObject
        {
            ["id"] = "pi_" + sessionId,
            ["object"] = "payment_intent",
            ["amount"] = 5000,
            ["currency"] = "usd",
            ["status"] = "requires_payment_method",
            ["metadata"] = new JsonObject { ["order_id"] = orderId },
            ["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["message"] = "Your card was declined." },
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });

    private static string Event(string id, string type, JsonObject data) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = "2026-10-28.endive",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();
}
