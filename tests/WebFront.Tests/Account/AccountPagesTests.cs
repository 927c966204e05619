using System.Net;
using System.Text.RegularExpressions;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.TestSupport;
using Courier.WebFront.Tests.Commerce;

namespace Courier.WebFront.Tests.Account;

/// <summary>The account pages as the server renders them (what a customer sees before any script runs).</summary>
public sealed partial class AccountPagesTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    [Theory]
    [InlineData("/account")]
    [InlineData("/account/orders")]
    [InlineData("/account/profile")]
    [InlineData("/account/orders/ord_does_not_matter")]
    public async Task Anonymous_visitor_is_sent_to_sign_in_and_back(string path)
    {
        using var visitor = await new ApiSession(factory).OpenAsync();

        using var response = await visitor.PageResponseAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(path)}", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
    }

    [Fact]
    public async Task Overview_greets_the_customer_and_shows_the_designed_empty_states()
    {
        using var customer = await SignedInAsync("Grace Hopper");

        var html = await customer.PageAsync("/account");

        Assert.Contains("Welcome back, Grace", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"orders-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"attention-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("/css/account.css", html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\" data-testid=\"account-nav-overview\"", Attributes(html), StringComparison.Ordinal);
        await customer.AssertIconsExistAsync(html);
    }

    [Fact]
    public async Task Orders_list_shows_the_customers_paid_order_with_its_total_and_delivery_progress()
    {
        await factory.SeedProductAsync("prod_pages_list", 4200, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_pages_list").AddKeysAsync(["LIST-AAAA-BBBB-0001"]);
        using var customer = await SignedInAsync();
        var orderId = await BuyAndWaitUntilReadyAsync(customer, "prod_pages_list");

        var html = await customer.PageAsync("/account/orders");

        var row = Assert.Single(OrderRows().Matches(html).Select(m => m.Value));
        Assert.Contains($"data-order-id=\"{orderId}\"", row, StringComparison.Ordinal);
        Assert.Contains("data-status=\"delivered\"", row, StringComparison.Ordinal);
        Assert.Contains("$42.00", html, StringComparison.Ordinal);
        Assert.Contains("1 of 1 delivered", html, StringComparison.Ordinal);
        Assert.Contains("1 order", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_page_shows_each_delivery_with_its_stepper_health_licence_key_and_the_timeline()
    {
        await factory.SeedProductAsync("prod_pages_detail", 2900, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_pages_detail").AddKeysAsync(["PAGE-AAAA-BBBB-0001"]);
        using var customer = await SignedInAsync();
        var orderId = await BuyAndWaitUntilReadyAsync(customer, "prod_pages_detail");

        using var response = await customer.PageResponseAsync($"/account/orders/{orderId}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-order-id=\"{orderId}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-delivery-id=\"{orderId}:1\"", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"ready\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ord_3f9a6c1e2b7d4058", html, StringComparison.Ordinal); // the screenshots' sample id lives in the tests only
        Assert.Equal(["done", "done", "current", "upcoming"], StepStates().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Contains("Your licence key is ready.", html, StringComparison.Ordinal);
        Assert.Contains("PAGE-AAAA-BBBB-0001", html, StringComparison.Ordinal);
        var timeline = TimelineTitles(html);
        Assert.Contains("Order placed", timeline);
        Assert.Contains("Payment received", timeline);
        Assert.Contains("Ready", timeline);
        Assert.Equal("Order placed", timeline[^1]);
        await customer.AssertIconsExistAsync(html);
    }

    [Fact]
    public async Task Another_customers_order_is_a_friendly_404_that_gives_nothing_away()
    {
        await factory.SeedProductAsync("prod_pages_private", 1500, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_pages_private").AddKeysAsync(["SECRET-AAAA-BBBB-0001"]);
        using var owner = await SignedInAsync();
        var orderId = await BuyAndWaitUntilReadyAsync(owner, "prod_pages_private");
        using var stranger = await SignedInAsync();

        using var response = await stranger.PageResponseAsync($"/account/orders/{orderId}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"order-not-found\"", html, StringComparison.Ordinal);
        Assert.Contains("We could not find that order", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("prod_pages_private", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guest_order_opens_for_the_browser_that_placed_it_and_for_nobody_else()
    {
        await factory.SeedProductAsync("prod_pages_guest", 1900, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_pages_guest").AddKeysAsync(["GUEST-AAAA-BBBB-0001"]);
        using var guest = await new ApiSession(factory).OpenAsync();
        var orderId = await BuyAndWaitUntilReadyAsync(guest, "prod_pages_guest");
        using var otherBrowser = await new ApiSession(factory).OpenAsync();

        var own = await guest.PageAsync($"/orders/{orderId}");
        var ownOnAccountPath = await guest.PageAsync($"/account/orders/{orderId}");
        using var otherGuestPath = await otherBrowser.PageResponseAsync($"/orders/{orderId}");
        using var otherAccountPath = await otherBrowser.PageResponseAsync($"/account/orders/{orderId}");

        Assert.Contains("GUEST-AAAA-BBBB-0001", own, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"account-nav\"", own, StringComparison.Ordinal);
        Assert.Contains($"data-order-id=\"{orderId}\"", ownOnAccountPath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherGuestPath.StatusCode);
        Assert.DoesNotContain("GUEST-", await otherGuestPath.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, otherAccountPath.StatusCode);
    }

    [Fact]
    public async Task Unpaid_order_page_points_to_the_payment_page_and_no_delivery_has_started()
    {
        await factory.SeedProductAsync("prod_pages_unpaid", 3100);
        using var customer = await SignedInAsync();
        await customer.AddToCartAsync("prod_pages_unpaid");
        var (orderId, redirect) = await customer.CheckoutAsync(NewEmail("unpaid"));

        var html = await customer.PageAsync($"/account/orders/{orderId}");

        Assert.Contains("data-testid=\"order-awaiting-payment\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-delivery-id=\"{orderId}:1\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{redirect}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"awaiting-payment\"", html, StringComparison.Ordinal);
        Assert.Equal(["upcoming", "upcoming", "upcoming", "upcoming", "upcoming"], StepStates().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Contains("Delivery starts as soon as your payment is confirmed.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_page_shows_the_saved_preferences_and_the_read_only_email()
    {
        var email = NewEmail("prefs");
        using var customer = await SignedInAsync("Ada Lovelace", email);
        await (await customer.SendJsonAsync(HttpMethod.Put, "/api/me/preferences", new { orderEmails = true, deliveryEmails = false, marketingEmails = true })).JsonAsync();

        var html = Attributes(await customer.PageAsync("/account/profile"));

        Assert.Matches("name=\"orderEmails\" checked", html);
        Assert.Matches("name=\"deliveryEmails\" data-testid", html);
        Assert.Matches("name=\"marketingEmails\" checked", html);
        Assert.Contains($"value=\"{email}\" readonly", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Ada Lovelace\"", html, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- helpers

    private async Task<ApiSession> SignedInAsync(string displayName = "Ada Lovelace", string? email = null)
    {
        var session = await new ApiSession(factory).OpenAsync();
        using var registered = await session.RegisterAsync(email ?? NewEmail("pages"), displayName: displayName);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return session;
    }

    private static async Task<string> BuyAndWaitUntilReadyAsync(ApiSession shopper, string productId)
    {
        await shopper.AddToCartAsync(productId);
        var (orderId, redirect) = await shopper.CheckoutAsync(NewEmail("buyer"));
        using var paid = await shopper.PayAsync(redirect, "4242 4242 4242 4242");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        await Eventually.TrueAsync(async () =>
            (await shopper.OrderAsync(orderId)).GetProperty("deliveries").EnumerateArray().Any(d => d.GetProperty("status").GetString() == "ready"),
            TimeSpan.FromSeconds(20), $"order {orderId}'s delivery becomes ready");
        return orderId;
    }

    /// <summary>The page with attribute whitespace normalized, so assertions read attribute order, not formatting.</summary>
    private static string Attributes(string html) => Whitespace().Replace(html, " ");

    /// <summary>The timeline's titles, newest first, without the product they are about.</summary>
    private static List<string> TimelineTitles(string html) =>
        [.. TimelineTitle().Matches(html).Select(m => Whitespace().Replace(WebUtility.HtmlDecode(m.Groups[1].Value), " ").Trim())];

    [GeneratedRegex("<li class=\"order-row\"[^>]*>")]
    private static partial Regex OrderRows();

    [GeneratedRegex("data-state=\"([a-z]+)\" data-testid=\"delivery-step\"")]
    private static partial Regex StepStates();

    [GeneratedRegex("<p class=\"timeline__title\">\\s*(?:<span class=\"timeline__subject\">[^<]*</span>)?([^<]*)</p>")]
    private static partial Regex TimelineTitle();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
