using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Courier.Bench.Checkout;

/// <summary>
/// One shopper visit as a browser makes it: cookies kept per visit, the XSRF-TOKEN cookie echoed
/// in X-XSRF-TOKEN, cart → checkout.
/// </summary>
internal sealed class Shopper(HttpClient http)
{
    private readonly Dictionary<string, string> cookies = [];

    /// <summary>The visit's cookies as a Cookie header (for the live hub).</summary>
    public string CookieHeader => string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}"));

    /// <summary>A new visit up to the payment page: cart, one item, checkout. Returns the order, its payment page and the checkout time.</summary>
    public async Task<(string OrderId, string PayPage, double CheckoutMs)> StartCheckoutAsync(string productId, int visitor)
    {
        cookies.Clear();
        (await SendAsync(HttpMethod.Get, "/api/cart")).Dispose();
        using (var added = await SendAsync(HttpMethod.Post, "/api/cart/items", JsonContent.Create(new { productId, quantity = 1 })))
            await EnsureAsync(added);

        var started = Stopwatch.GetTimestamp();
        using var checkout = await SendAsync(HttpMethod.Post, "/api/checkout", JsonContent.Create(new { email = $"shopper{visitor}@bench.test" }));
        var checkoutMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await EnsureAsync(checkout);
        var body = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("orderId").GetString()!, body.GetProperty("redirectUrl").GetString()!, checkoutMs);
    }

    /// <summary>GET a JSON resource with the visit's cookies.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        await EnsureAsync(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (cookies.Count > 0) request.Headers.Add("Cookie", CookieHeader);
        if (method != HttpMethod.Get && cookies.TryGetValue("XSRF-TOKEN", out var xsrf)) request.Headers.Add("X-XSRF-TOKEN", WebUtility.UrlDecode(xsrf));
        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            foreach (var header in setCookies)
            {
                var pair = header.Split(';', 2)[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0) cookies[pair[..equals]] = pair[(equals + 1)..];
            }
        return response;
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
    }
}
