using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Courier.Abstractions.Accounts;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Operations;

/// <summary>
/// A request that breaks a field's rule is a 400 naming the field and saying what to send, and the
/// rule is stated in the OpenAPI document; a body that is not JSON is a 415 saying so; an absurd id
/// is a 400 with a detail. Nothing is changed by a refused request.
/// </summary>
public sealed class RequestRulesTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private async Task<ApiSession> AdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(email, "Store admin", "admin passphrase 42", [Roles.Admin], "system:test");
        var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(email, "admin passphrase 42")).EnsureSuccessStatusCode();
        return admin;
    }

    private static Task<HttpResponseMessage> RawJsonAsync(ApiSession browser, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-XSRF-TOKEN", browser.XsrfToken);
        return browser.Client.SendAsync(request);
    }

    private static Dictionary<string, object?> Product(string slug) => new()
    {
        ["slug"] = slug, ["title"] = "Rules kit", ["summary"] = "A kit.", ["descriptionMarkdown"] = "# Kit", ["images"] = new[] { "/media/x.svg" },
        ["price"] = new { amount = 4900, currency = "usd" }, ["deliveryKind"] = "download", ["stockLimit"] = null, ["deliverySlaSeconds"] = 120,
        ["tags"] = new[] { "docs" }, ["active"] = true,
    };

    [Theory]
    [InlineData("""{"quantity":1}""", "productId", "required")]
    [InlineData("""{"productId":null,"quantity":1}""", "productId", "required")]
    [InlineData("""{"productId":"prod_x","quantity":0}""", "quantity", "from 1 to 99")]
    [InlineData("""{"productId":"prod_x","quantity":100}""", "quantity", "from 1 to 99")]
    public async Task A_cart_item_without_a_product_or_with_a_silly_quantity_is_a_400_naming_the_field(string body, string field, string says)
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        using var response = await RawJsonAsync(shopper, "/api/cart/items", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal([field], problem.ErrorFields);
        Assert.Contains(says, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slug", null, "slug")]
    [InlineData("descriptionMarkdown", "huge", "descriptionMarkdown")]
    [InlineData("tags", "10001", "tags")]
    [InlineData("tags", "long-tag", "tags")]
    [InlineData("deliveryKind", "-1", null)]
    [InlineData("price", "no-currency", "price.currency")]
    [InlineData("price", "bad-currency", "price.currency")]
    public async Task An_admin_product_breaking_a_field_rule_is_refused_and_nothing_is_created(string field, string? value, string? named)
    {
        using var admin = await AdminAsync();
        var slug = $"rules-{Guid.NewGuid():N}"[..20];
        var product = Product(slug);
        product[field] = value switch
        {
            null => null,
            "huge" => new string('#', 1_000_000),
            "10001" => Enumerable.Range(0, 10_001).Select(i => $"t{i}").ToArray(),
            "long-tag" => new[] { new string('t', 1_000_000) },
            "-1" => -1,
            "no-currency" => new { amount = 4900, currency = "" },
            "bad-currency" => new { amount = 4900, currency = "xyz" },
            _ => value,
        };

        using var response = await admin.PostAsync("/api/admin/products", product);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        if (named is not null) Assert.Contains(named, problem.ErrorFields);
        else Assert.Contains("deliveryKind", problem.Detail, StringComparison.Ordinal);
        using var list = await admin.GetAsync("/api/admin/products");
        Assert.DoesNotContain(slug, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":-1,"value":10,"currency":"usd","expiresAt":null,"usageLimit":null,"minimumSubtotal":0}""", "kind")]
    [InlineData("""{"kind":"fixed","value":500,"expiresAt":null,"usageLimit":null,"minimumSubtotal":0}""", "currency")]
    [InlineData("""{"kind":"fixed","value":500,"currency":"","expiresAt":null,"usageLimit":null,"minimumSubtotal":0}""", "currency")]
    public async Task An_admin_coupon_with_an_unknown_kind_or_currency_is_a_400(string body, string named)
    {
        using var admin = await AdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/admin/coupons/RULES", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-XSRF-TOKEN", admin.XsrfToken);

        using var response = await admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await Problem.ReadAsync(response)).Raw, StringComparison.Ordinal);
        using var saved = await admin.GetAsync("/api/admin/coupons/RULES");
        Assert.Equal(HttpStatusCode.NotFound, saved.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/cart/coupon")]
    [InlineData("PUT", "/api/cart/items/prod_x")]
    [InlineData("POST", "/api/auth/login")]
    public async Task A_body_that_is_not_json_is_a_415_naming_the_type_to_send(string method, string path)
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent("code=SAVE10", Encoding.UTF8, "text/plain") };
        request.Headers.Add("X-XSRF-TOKEN", shopper.XsrfToken);

        using var response = await shopper.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("text/plain", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/orders/{0}")]
    [InlineData("/api/deliveries/{0}")]
    [InlineData("/api/products/{0}")]
    public async Task An_id_of_thousands_of_characters_is_a_400_with_a_detail(string template)
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        using var response = await shopper.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('a', 4000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("4000 characters", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_keys_in_a_body_are_a_400_not_a_guess()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        using var response = await RawJsonAsync(shopper, "/api/cart/items", """{"productId":"prod_a","productId":"prod_b"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Duplicate", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_states_the_field_rules()
    {
        using var client = factory.CreateClient();
        var schemas = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement
            .GetProperty("components").GetProperty("schemas");

        var product = schemas.GetProperty("ProductRequest").GetProperty("properties");
        Assert.Equal(20_000, product.GetProperty("descriptionMarkdown").GetProperty("maxLength").GetInt32());
        Assert.Equal(30, product.GetProperty("tags").GetProperty("maxItems").GetInt32());
        Assert.Equal(80, product.GetProperty("slug").GetProperty("maxLength").GetInt32());
        Assert.Equal("string", product.GetProperty("slug").GetProperty("type").GetString());
        var item = schemas.GetProperty("AddCartItem").GetProperty("properties");
        Assert.Equal(99, item.GetProperty("quantity").GetProperty("maximum").GetInt32());
        Assert.Equal(["download", "licenseKey", "siteAccess"], schemas.GetProperty("DeliveryKind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
