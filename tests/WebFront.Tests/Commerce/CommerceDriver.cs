using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Runtime;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Commerce;

/// <summary>Drives the shop as a shopper would, through the public HTTP API and the hosted payment page.</summary>
internal static partial class CommerceDriver
{
    public static IGrainFactory Grains(this CourierWebFactory factory) => factory.Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Delivers the reminder ticks whose rows are due now, as a node's start-up sweep does: for tests
    /// that move a due time forward in the database, which Orleans' own reminder does not see.
    /// </summary>
    public static Task<int> FireDueRemindersAsync(this CourierWebFactory factory) =>
        factory.Services.GetRequiredService<Courier.Silo.Grains.ReminderSweep>().RunAsync(CancellationToken.None);

    public static Task<ProductView> SeedProductAsync(this CourierWebFactory factory, string id, long price, int? stock = null, DeliveryKind kind = DeliveryKind.Download) =>
        factory.Grains().GetGrain<IProductGrain>(id).SaveAsync(new ProductDraft(
            id.Replace("prod_", "", StringComparison.Ordinal).Replace('_', '-'), $"Template {id}", "A template for tests.", "# A template", ["/media/x.svg"],
            new Money(price, "usd"), kind, stock, null, ["test"]));

    public static Task<CouponView> SeedCouponAsync(this CourierWebFactory factory, string code, CouponDraft draft) =>
        factory.Grains().GetGrain<ICouponGrain>(code).SaveAsync(draft);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<HttpResponseMessage> SendJsonAsync(this ApiSession session, HttpMethod method, string path, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        if (session.XsrfToken is { } token) request.Headers.Add("X-XSRF-TOKEN", token);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        return await session.Client.SendAsync(request);
    }

    public static async Task<JsonElement> AddToCartAsync(this ApiSession session, string productId, int quantity = 1) =>
        await (await session.SendJsonAsync(HttpMethod.Post, "/api/cart/items", new { productId, quantity })).JsonAsync();

    public static async Task<(string OrderId, string RedirectUrl)> CheckoutAsync(this ApiSession session, string email = "buyer@example.com", string? idempotencyKey = null)
    {
        var headers = idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey };
        var body = await (await session.SendJsonAsync(HttpMethod.Post, "/api/checkout", new { email }, headers)).JsonAsync();
        return (body.GetProperty("orderId").GetString()!, body.GetProperty("redirectUrl").GetString()!);
    }

    /// <summary>Submits the hosted payment page with a test card; returns the response (a redirect on success).</summary>
    public static async Task<HttpResponseMessage> PayAsync(this ApiSession session, string redirectUrl, string card)
    {
        var page = await (await session.Client.GetAsync(new Uri(redirectUrl, UriKind.Relative))).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["card"] = card, ["action"] = "pay" });
        return await session.Client.PostAsync(new Uri(redirectUrl, UriKind.Relative), form);
    }

    public static async Task<JsonElement> OrderAsync(this ApiSession session, string orderId) =>
        await (await session.Client.GetAsync(new Uri($"/api/orders/{orderId}", UriKind.Relative))).JsonAsync();

    public static async Task<JsonElement> WaitForOrderStatusAsync(this ApiSession session, string orderId, string status, TimeSpan? within = null)
    {
        JsonElement order = default;
        await Eventually.TrueAsync(async () =>
        {
            order = await session.OrderAsync(orderId);
            return order.GetProperty("order").GetProperty("status").GetString() == status;
        }, within ?? TimeSpan.FromSeconds(20), $"order {orderId} reaches {status}; it is {order}");
        return order;
    }

    /// <summary>The outbox rows that failed, for failure messages.</summary>
    public static async Task<string> OutboxTroubleAsync(this CourierWebFactory factory) =>
        await factory.Database.ScalarAsync<string>("SELECT string_agg(message_type || ' ' || status || ' ' || attempts || ': ' || coalesce(last_error, ''), E'\n') FROM outbox WHERE last_error IS NOT NULL") ?? "";

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
