using System.Net;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.TestSupport;

namespace Courier.WebFront.Tests.Commerce;

public sealed class DeliveryFlowTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Paid_licence_order_shows_its_delivery_ready_with_a_key_and_the_steps_on_the_timeline()
    {
        await factory.SeedProductAsync("prod_deliver_key", 2900, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_deliver_key").AddKeysAsync(["NOVA-AAAA-BBBB-0001", "NOVA-AAAA-BBBB-0002"]);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_deliver_key");
        var (orderId, redirect) = await shopper.CheckoutAsync("key.buyer@example.com");

        using var paid = await shopper.PayAsync(redirect, "4242 4242 4242 4242");

        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        System.Text.Json.JsonElement order = default;
        await Eventually.TrueAsync(async () =>
        {
            order = await shopper.OrderAsync(orderId);
            return order.GetProperty("deliveries").EnumerateArray().Any(d => d.GetProperty("status").GetString() == "ready");
        }, TimeSpan.FromSeconds(20), "the delivery becomes ready");
        var delivery = Assert.Single(order.GetProperty("deliveries").EnumerateArray());
        Assert.Equal($"{orderId}:1", delivery.GetProperty("id").GetString());
        Assert.Equal("NOVA-AAAA-BBBB-0001", delivery.GetProperty("licenseKey").GetString());
        Assert.Equal("healthy", delivery.GetProperty("health").GetString());
        var timeline = order.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["Pending", "Processing", "Ready"], timeline.Where(e => e.GetProperty("kind").GetString() == "DeliveryStepped")
            .Select(e => e.GetProperty("data").GetProperty("to").GetString()));
        Assert.True(timeline.Select(e => e.GetProperty("at").GetDateTimeOffset()).SequenceEqual(timeline.Select(e => e.GetProperty("at").GetDateTimeOffset()).Order()),
            "the timeline is in time order");
        var own = await (await shopper.Client.GetAsync(new Uri($"/api/deliveries/{orderId}:1", UriKind.Relative))).JsonAsync();
        Assert.Equal("NOVA-AAAA-BBBB-0001", own.GetProperty("licenseKey").GetString());
    }

    [Fact]
    public async Task Another_shoppers_delivery_is_not_found()
    {
        await factory.SeedProductAsync("prod_deliver_private", 1500, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_deliver_private").AddKeysAsync(["PRIV-AAAA-BBBB-0001"]);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_deliver_private");
        var (orderId, redirect) = await shopper.CheckoutAsync("private.buyer@example.com");
        using var paid = await shopper.PayAsync(redirect, "4242 4242 4242 4242");
        await Eventually.TrueAsync(async () =>
            (await shopper.Client.GetAsync(new Uri($"/api/deliveries/{orderId}:1", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "the delivery starts");

        using var stranger = await new ApiSession(factory).OpenAsync();
        var response = await stranger.Client.GetAsync(new Uri($"/api/deliveries/{orderId}:1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("PRIV-", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
