using System.Net;
using Courier.WebFront.Tests.Commerce;
using Courier.WebFront.Tests.Demo;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Courier.WebFront.Tests.Storefront;

/// <summary>
/// First visits (no cookie at all) to the landing page and the catalog share one rendered page:
/// each visitor must still get cookies of their own, and a catalog change must show at once.
/// </summary>
public sealed class FirstVisitPageTests(EmbeddedWebFactory factory) : IClassFixture<EmbeddedWebFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/templates")]
    public async Task First_visitors_get_the_same_page_but_cookies_of_their_own(string path)
    {
        var (first, firstCookies) = await FirstVisitAsync(path);
        var (second, secondCookies) = await FirstVisitAsync(path);

        Assert.Equal(first, second);
        Assert.Contains("data-testid=\"floating-cart\"", first, StringComparison.Ordinal);
        Assert.NotEqual(Cookie(firstCookies, "Courier.Cart"), Cookie(secondCookies, "Courier.Cart"));
        Assert.NotEqual(Cookie(firstCookies, "XSRF-TOKEN"), Cookie(secondCookies, "XSRF-TOKEN"));
    }

    [Fact]
    public async Task A_product_added_to_the_catalog_shows_to_the_next_first_visitor()
    {
        await FirstVisitAsync("/templates");

        await factory.SeedProductAsync("prod_first_visit_new", 1_900);
        var (catalog, _) = await FirstVisitAsync("/templates");

        Assert.Contains("Template prod_first_visit_new", catalog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_returning_shopper_sees_their_own_cart_not_the_first_visit_page()
    {
        await FirstVisitAsync("/");
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_aurora");

        using var page = await shopper.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        var (firstVisit, _) = await FirstVisitAsync("/");

        Assert.Contains("data-testid=\"floating-cart-count\">1 item<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"floating-cart-count\">1 item<", firstVisit, StringComparison.Ordinal);
    }

    private async Task<(string Html, IReadOnlyList<string> SetCookies)> FirstVisitAsync(string path)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return (await response.Content.ReadAsStringAsync(), cookies);
    }

    private static string Cookie(IReadOnlyList<string> setCookies, string name) =>
        setCookies.Select(c => c.Split(';', 2)[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
}
