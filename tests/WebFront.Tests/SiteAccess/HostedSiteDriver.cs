using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Abstractions.Deliveries;
using Courier.TestSupport;
using Courier.WebFront.Tests.Commerce;

namespace Courier.WebFront.Tests.SiteAccess;

/// <summary>Buys hosted sites and reads their sign-in through the public API, as a customer would.</summary>
internal static class HostedSiteDriver
{
    public const string HostedProduct = "prod_aurora_hosted";

    /// <summary>Registers a new customer who buys and pays the demo hosted site; returns once its delivery is ready.</summary>
    public static async Task<(ApiSession Customer, string DeliveryId, string Email)> BuyHostedSiteAsync(this SiteAccessWebFactory factory)
    {
        var email = $"site-{Guid.NewGuid():N}@example.com";
        var customer = await new ApiSession(factory, factory.Address).OpenAsync();
        (await customer.RegisterAsync(email)).EnsureSuccessStatusCode();
        await customer.AddToCartAsync(HostedProduct);
        var (orderId, redirect) = await customer.CheckoutAsync(email);
        (await customer.PayAsync(redirect, "4242 4242 4242 4242")).Dispose();
        var deliveryId = new DeliveryId(orderId, 1).ToString();
        await customer.WaitUntilReadyAsync(deliveryId);
        return (customer, deliveryId, email);
    }

    /// <summary>Waits (30 s at most) until the delivery is Ready as its owner sees it over the API.</summary>
    public static async Task WaitUntilReadyAsync(this ApiSession customer, string deliveryId)
    {
        string? status = null;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await customer.GetAsync($"/api/deliveries/{deliveryId}");
            status = response.StatusCode == HttpStatusCode.OK
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()
                : $"HTTP {(int)response.StatusCode}";
            return status == "ready";
        }, TimeSpan.FromSeconds(30), $"the hosted site of {deliveryId} is delivered; it is {status}");
    }

    public static async Task<SiteLogin> CredentialsAsync(this ApiSession session, string deliveryId)
    {
        using var response = await session.GetAsync($"/api/deliveries/{deliveryId}/credentials");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return SiteLogin.Read(await response.JsonAsync());
    }
}

internal sealed record SiteLogin(string Username, string Password, string LoginUrl)
{
    public static SiteLogin Read(JsonElement body) =>
        new(body.GetProperty("username").GetString()!, body.GetProperty("password").GetString()!, body.GetProperty("loginUrl").GetString()!);
}

/// <summary>A browser visiting a hosted site over the network: its own cookies, no Courier session, redirects not followed.</summary>
internal sealed partial class SiteBrowser : IDisposable
{
    public SiteBrowser(Uri address)
    {
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = address };
    }

    public CookieContainer Cookies { get; }
    public HttpClient Client { get; }

    public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(new Uri(url));

    /// <summary>Loads the sign-in page and submits it, as a person would.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string loginUrl, string username, string password)
    {
        var page = await (await Client.GetAsync(new Uri(loginUrl + "sign-in"))).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token), $"the sign-in page has a form token: {page}");
        return await PostAsync(loginUrl, token, username, password);
    }

    /// <summary>Submits the sign-in form without loading its page first (so without a form token).</summary>
    public Task<HttpResponseMessage> PostSignInFormAsync(string loginUrl, string username, string password) => PostAsync(loginUrl, "", username, password);

    private async Task<HttpResponseMessage> PostAsync(string loginUrl, string token, string username, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["username"] = username, ["password"] = password });
        return await Client.PostAsync(new Uri(loginUrl + "sign-in"), form);
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
