using System.Net;
using Courier.WebFront.Tests.Commerce;

namespace Courier.WebFront.Tests.Operations;

/// <summary>
/// A NUL character (U+0000, %00) in a path, query, form or JSON string is refused with a 400 that
/// names where it was — never a 500 from PostgreSQL, which cannot store it — and changes nothing.
/// </summary>
public sealed class NulCharacterTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Theory]
    [InlineData("/api/products?q=a%00b", "'q'")]
    [InlineData("/api/products?tag=a%00b", "'tag'")]
    [InlineData("/api/products?kind=download&q=%00", "'q'")]
    public async Task A_nul_in_the_path_or_a_query_parameter_is_a_400_naming_it(string path, string named)
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        using var response = await shopper.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("https://courier.dev/problems/nul-character", problem.Type);
        Assert.Contains(named, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_in_a_json_string_is_a_400_naming_the_field_and_the_cart_stays_as_it_was()
    {
        await factory.SeedProductAsync("prod_nul", 1500);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_nul");

        using var response = await shopper.PostAsync("/api/cart/items", new { productId = "prod_nul\0x", quantity = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains("At $.productId", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("NUL character", problem.Detail, StringComparison.Ordinal);
        var cart = await (await shopper.GetAsync("/api/cart")).JsonAsync();
        Assert.Equal(1, cart.GetProperty("itemCount").GetInt32());
    }

    [Fact]
    public async Task A_nul_in_a_form_field_is_a_400_naming_it()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        using var form = new FormUrlEncodedContent([new("email", "ada\0@example.com"), new("password", "correct horse battery")]);

        using var response = await shopper.Client.PostAsync(new Uri("/api/auth/login", UriKind.Relative), form);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        Assert.Contains("'email'", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_without_a_nul_still_searches_unicode_included()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        using var response = await shopper.GetAsync("/api/products?q=caf%C3%A9%20%F0%9F%9A%80");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
