using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.WebFront.Tests.Commerce;
using Courier.WebFront.Tests.Demo;

namespace Courier.WebFront.Tests.Storefront;

/// <summary>The storefront pages as the server renders them (what a shopper sees before any script runs), on the demo store.</summary>
public sealed partial class StorefrontPageTests(EmbeddedWebFactory factory) : IClassFixture<EmbeddedWebFactory>
{
    [Fact]
    public async Task Landing_page_lists_featured_products_from_the_catalog()
    {
        using var shopper = new ApiSession(factory);

        var html = await shopper.PageAsync("/");

        Assert.Contains("data-testid=\"featured-products\"", html, StringComparison.Ordinal);
        var cards = Slugs(html);
        Assert.Equal(6, cards.Count);
        var catalog = await CatalogSlugsAsync(shopper, "");
        Assert.All(cards, slug => Assert.Contains(slug, catalog));
        Assert.Contains("Instant delivery", html, StringComparison.Ordinal);
        Assert.Contains("id=\"how-it-works\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"faq\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_shows_every_active_product_without_filters()
    {
        using var shopper = new ApiSession(factory);

        var html = await shopper.PageAsync("/templates");

        Assert.Equal((await CatalogSlugsAsync(shopper, "")).Order(), Slugs(html).Order());
    }

    [Theory]
    [InlineData("kind=licenseKey", "kind=licenseKey")]
    [InlineData("kind=siteAccess", "kind=siteAccess")]
    [InlineData("tag=docs", "tag=docs")]
    [InlineData("q=dashboard", "q=dashboard")]
    [InlineData("kind=download&tag=landing", "kind=download&tag=landing")]
    public async Task Catalog_filters_through_the_query_string_like_the_api(string pageQuery, string apiQuery)
    {
        using var shopper = new ApiSession(factory);

        var shown = Slugs(await shopper.PageAsync("/templates?" + pageQuery));

        var expected = await CatalogSlugsAsync(shopper, apiQuery);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), shown.Order());
    }

    [Fact]
    public async Task Catalog_sorts_by_price_through_the_query_string()
    {
        using var shopper = new ApiSession(factory);

        var shown = Slugs(await shopper.PageAsync("/templates?sort=price-desc"));

        Assert.Equal(await CatalogSlugsAsync(shopper, "sort=price-desc"), shown);
        Assert.Contains("<option value=\"price-desc\" selected", await shopper.PageAsync("/templates?sort=price-desc"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_search_without_matches_shows_the_empty_state_with_a_way_back()
    {
        using var shopper = new ApiSession(factory);

        var html = await shopper.PageAsync("/templates?q=no-such-template-anywhere");

        Assert.Empty(Slugs(html));
        Assert.Contains("data-testid=\"catalog-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/templates\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Product_page_shows_the_product_its_rendered_description_and_add_to_cart()
    {
        using var shopper = new ApiSession(factory);

        var html = await shopper.PageAsync("/templates/aurora-saas");

        Assert.Contains("data-testid=\"product-title\">Aurora — SaaS Landing Page Template</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"product-price\">$49.00<", html, StringComparison.Ordinal);
        Assert.Contains("<h2>What's included</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<code>index.html</code>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"prod_aurora\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"add-to-cart\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/media/products/aurora-saas.svg\"", html, StringComparison.Ordinal);
        Assert.Contains("Delivered within 5 minutes", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_product_answers_404_with_the_friendly_page()
    {
        using var shopper = new ApiSession(factory);

        using var response = await shopper.PageResponseAsync("/templates/no-such-template");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"not-found\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"site-header\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_page_answers_404_with_the_friendly_page_but_the_api_keeps_problem_details()
    {
        using var shopper = new ApiSession(factory);

        using var page = await shopper.PageResponseAsync("/no/such/page");
        using var api = await shopper.PageResponseAsync("/api/no-such-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("data-testid=\"not-found\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.DoesNotContain("data-testid=\"not-found\"", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_page_is_friendly_and_answers_500()
    {
        using var shopper = new ApiSession(factory);

        using var response = await shopper.PageResponseAsync("/error");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong on our side", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_cart_shows_no_floating_cart_and_an_empty_checkout()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        var landing = await shopper.PageAsync("/");
        var checkout = await shopper.PageAsync("/checkout");

        Assert.Matches(FloatingCartHidden(), landing);
        Assert.Contains("data-testid=\"checkout-empty\"", checkout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cart_with_items_shows_in_the_header_the_floating_cart_and_the_checkout_lines()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_aurora");
        await shopper.AddToCartAsync("prod_meridian", 2);

        var landing = await shopper.PageAsync("/");
        var checkout = await shopper.PageAsync("/checkout");

        Assert.DoesNotMatch(FloatingCartHidden(), landing);
        Assert.Contains("data-testid=\"floating-cart-count\">3 items<", landing, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"floating-cart-total\">$187.00<", landing, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"header-cart-count\" aria-hidden=\"true\">3<", landing, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(checkout, "data-testid=\"checkout-line\""));
        Assert.Contains("Aurora — SaaS Landing Page Template", checkout, StringComparison.Ordinal);
        Assert.Contains("Qty 2 · $69.00 each", checkout, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"checkout-total\">$187.00<", checkout, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"checkout-email\"", checkout, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"floating-cart\"", checkout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_checkout_skips_the_email_and_the_header_links_to_the_account()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        (await shopper.RegisterAsync("storefront.checkout@example.com")).EnsureSuccessStatusCode();
        await shopper.AddToCartAsync("prod_folio");

        var checkout = await shopper.PageAsync("/checkout");

        Assert.Contains("data-testid=\"checkout-signed-in\"", checkout, StringComparison.Ordinal);
        Assert.Contains("storefront.checkout@example.com", checkout, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"checkout-email\"", checkout, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"header-account\"", checkout, StringComparison.Ordinal);
        Assert.Contains("href=\"/account\"", checkout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coupon_applied_to_the_cart_shows_in_the_checkout_summary()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_aurora");
        (await shopper.PostAsync("/api/cart/coupon", new { code = "WELCOME10" })).EnsureSuccessStatusCode();

        var checkout = await shopper.PageAsync("/checkout");

        Assert.Contains("data-testid=\"coupon-applied\"", checkout, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"checkout-discount\">−$4.90<", checkout, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"checkout-total\">$44.10<", checkout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Return_page_shows_the_order_to_the_browser_that_placed_it_only()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_ledger");
        var (orderId, _) = await shopper.CheckoutAsync("return.page@example.com");

        var html = await shopper.PageAsync($"/checkout/return?order={orderId}");
        using var stranger = await new ApiSession(factory).OpenAsync();
        using var refused = await stranger.PageResponseAsync($"/checkout/return?order={orderId}");

        Assert.Contains("data-testid=\"order-headline\">Confirming your payment…<", html, StringComparison.Ordinal);
        Assert.Contains($"data-order-id=\"{orderId}\"", html, StringComparison.Ordinal);
        Assert.Contains("<noscript><meta http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("data-testid=\"order-not-found\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_and_register_pages_render_forms_that_return_only_to_local_paths()
    {
        using var shopper = new ApiSession(factory);

        var signIn = await shopper.PageAsync("/signin?returnUrl=%2Fcheckout");
        var hostile = await shopper.PageAsync("/signin?returnUrl=%2F%2Fevil.example");
        var register = await shopper.PageAsync("/register");

        Assert.Contains("data-return-url=\"/checkout\"", signIn, StringComparison.Ordinal);
        Assert.Contains("data-return-url=\"/account\"", hostile, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"signin-email\"", signIn, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"new-password\"", register, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_pages_send_anonymous_visitors_to_the_sign_in_page()
    {
        using var shopper = new ApiSession(factory);

        using var response = await shopper.GetAsync("/dev/mail");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/signin?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payment_page_and_pages_share_the_one_stylesheet()
    {
        using var shopper = new ApiSession(factory);

        var pay = await (await shopper.GetAsync("/pay/cs_sim_unknown")).Content.ReadAsStringAsync();
        var landing = await shopper.PageAsync("/");

        Assert.Contains("href=\"/css/courier.css\"", pay, StringComparison.Ordinal);
        Assert.Matches("href=\"/css/courier.css\\?v=[0-9a-f]{10}\"", landing);
        Assert.DoesNotContain("style=", landing, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", pay, StringComparison.Ordinal);
    }

    private static List<string> Slugs(string html) =>
        [.. ProductCardSlug().Matches(html).Select(m => m.Groups[1].Value)];

    private static async Task<List<string>> CatalogSlugsAsync(ApiSession session, string query)
    {
        var page = await (await session.GetAsync("/api/products?" + query)).JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("slug").GetString()!)];
    }

    [GeneratedRegex("data-testid=\"product-card\" data-slug=\"([^\"]+)\"")]
    private static partial Regex ProductCardSlug();

    [GeneratedRegex("data-testid=\"floating-cart\" hidden")]
    private static partial Regex FloatingCartHidden();
}
