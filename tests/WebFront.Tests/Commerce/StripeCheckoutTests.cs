using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Courier.TestSupport;
using Courier.TestSupport.Stripe;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Courier.WebFront.Tests.Commerce;

/// <summary>The web front configured for Stripe, with Stripe's API stood in for by a local server (Stripe:ApiBase).</summary>
public sealed class StripeShopFactory : CourierWebFactory
{
    public const string WebhookSecret = "whsec_courier_stripe_flow_test";
    private readonly Lazy<FakeStripeApi> stripe = new(() => FakeStripeApi.StartAsync().GetAwaiter().GetResult());

    public FakeStripeApi Stripe => stripe.Value;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Payments:Provider"] = "Stripe",
        ["Stripe:ApiBase"] = Stripe.BaseAddress.ToString(),
        ["Stripe:SecretKey"] = FakeStripeApi.SecretKey,
        ["Stripe:WebhookSecret"] = WebhookSecret,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (stripe.IsValueCreated) await stripe.Value.DisposeAsync();
    }
}

public sealed class StripeCheckoutTests(StripeShopFactory factory) : IClassFixture<StripeShopFactory>
{
    [Fact]
    public async Task Checkout_opens_a_Stripe_session_and_the_signed_completed_webhook_marks_the_order_paid()
    {
        var (shopper, orderId, redirect) = await CheckoutAsync("prod_stripe_flow", 4900);

        var create = Assert.Single(factory.Stripe.Requests, r => r.Path == "/v1/checkout/sessions" && r.Method == "POST" && r.Form["client_reference_id"] == orderId);
        Assert.Equal($"checkout:{orderId}", create.Header("Idempotency-Key"));
        Assert.Equal(orderId, create.Form["client_reference_id"]);
        Assert.Equal("4900", create.Form["line_items[0][price_data][unit_amount]"]);
        Assert.StartsWith("https://checkout.stripe.com/c/pay/cs_test", redirect, StringComparison.Ordinal);

        var sessionId = redirect[(redirect.LastIndexOf('/') + 1)..];
        factory.Stripe.PayCheckoutSession(sessionId);
        var completed = await LatestEventAsync("checkout.session.completed");
        using var webhook = await PostWebhookAsync(completed, EventUtility.GenerateSignatureHeader(completed, StripeShopFactory.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
    }

    [Fact]
    public async Task Lost_Stripe_webhook_is_recovered_by_asking_Stripe_for_the_session()
    {
        var (shopper, orderId, redirect) = await CheckoutAsync("prod_stripe_lost", 2500);
        var sessionId = redirect[(redirect.LastIndexOf('/') + 1)..];
        factory.Stripe.PayCheckoutSession(sessionId);

        await factory.Database.ExecuteAsync($"UPDATE reminders SET due_at = now() WHERE grain_key = '{orderId}' AND name = 'payment-deadline'");

        await factory.FireDueRemindersAsync();

        await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
        Assert.Contains(factory.Stripe.Requests, r => r.Method == "GET" && r.Path == $"/v1/checkout/sessions/{sessionId}");
    }

    private async Task<(ApiSession Shopper, string OrderId, string Redirect)> CheckoutAsync(string productId, long price)
    {
        await factory.Services.GetRequiredService<Orleans.IGrainFactory>()
            .GetGrain<Courier.Abstractions.Catalog.IProductGrain>(productId)
            .SaveAsync(new Courier.Abstractions.Catalog.ProductDraft(productId.Replace("prod_", "", StringComparison.Ordinal).Replace('_', '-'), $"Template {productId}", "", "",
                [], new Courier.Abstractions.Commerce.Money(price, "usd"), Courier.Abstractions.Catalog.DeliveryKind.Download, null, null, []));
        var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync(productId);
        var (orderId, redirect) = await shopper.CheckoutAsync("stripe.buyer@example.com");
        return (shopper, orderId, redirect);
    }

    private async Task<string> LatestEventAsync(string type)
    {
        using var http = new HttpClient { BaseAddress = factory.Stripe.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeStripeApi.SecretKey);
        var list = JsonDocument.Parse(await http.GetStringAsync(new Uri($"v1/events?type={type}", UriKind.Relative))).RootElement;
        return list.GetProperty("data")[0].GetRawText();
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, string signature)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/stripe", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }
}
