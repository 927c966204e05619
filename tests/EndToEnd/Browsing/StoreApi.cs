using System.Text.Json;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Calls Courier's JSON API from inside a page, with the visitor's own cookies, echoing the
/// XSRF-TOKEN cookie in <c>X-XSRF-TOKEN</c> as the storefront's script does. Tests use it to get
/// quickly to the part of a journey they are about.
/// </summary>
public static class StoreApi
{
    public static Task<JsonElement> GetAsync(IPage page, string path) => SendAsync(page, "GET", path, null);

    public static Task<JsonElement> PostAsync(IPage page, string path, object body) => SendAsync(page, "POST", path, body);

    public static Task<JsonElement> AddToCartAsync(IPage page, string productId, int quantity = 1) =>
        PostAsync(page, "/api/cart/items", new { productId, quantity });

    /// <summary>Creates a customer account and signs this visitor in with it (the session cookie lands in the page's browser context).</summary>
    public static Task<JsonElement> RegisterAsync(IPage page, string email, string displayName = "Ada Lovelace") =>
        PostAsync(page, "/api/auth/register", new { email, password = "a long and memorable passphrase", displayName });

    /// <summary>Checks the cart out, as a guest with <paramref name="email"/> or, without one, as the signed-in customer; the result is the new order and the payment page to send the visitor to.</summary>
    public static async Task<CheckoutStarted> CheckoutAsync(IPage page, string? email = null)
    {
        var started = await PostAsync(page, "/api/checkout", email is null ? new object() : new { email });
        return new CheckoutStarted(started.GetProperty("orderId").GetString()!, started.GetProperty("redirectUrl").GetString()!);
    }

    /// <summary>The order as its owner sees it: <c>{order, deliveries, timeline}</c>.</summary>
    public static Task<JsonElement> GetOrderAsync(IPage page, string orderId) => GetAsync(page, $"/api/orders/{Uri.EscapeDataString(orderId)}");

    private static async Task<JsonElement> SendAsync(IPage page, string method, string path, object? body)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!page.Url.StartsWith("http", StringComparison.Ordinal))
            throw new InvalidOperationException("Open a store page first (page.GotoAsync(\"/\")): API calls run inside it, with its cookies.");

        var response = await page.EvaluateAsync<string>("""
            async ({ method, path, body }) => {
              const xsrf = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length);
              const headers = { 'Accept': 'application/json' };
              if (body !== null) headers['Content-Type'] = 'application/json';
              if (method !== 'GET' && xsrf) headers['X-XSRF-TOKEN'] = decodeURIComponent(xsrf);
              const response = await fetch(path, { method, headers, body: body === null ? undefined : body, credentials: 'same-origin' });
              return JSON.stringify({ status: response.status, text: await response.text() });
            }
            """, new { method, path, body = body is null ? null : JsonSerializer.Serialize(body, JsonSerializerOptions.Web) });

        using var outcome = JsonDocument.Parse(response);
        var status = outcome.RootElement.GetProperty("status").GetInt32();
        var text = outcome.RootElement.GetProperty("text").GetString()!;
        if (status is < 200 or > 299)
            throw new InvalidOperationException($"{method} {path} from the page answered {status}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed record CheckoutStarted(string OrderId, string RedirectUrl);
