using System.Net;
using Courier.Abstractions.Catalog;
using Courier.WebFront.Tests.Commerce;

namespace Courier.WebFront.Tests.Deliveries;

public sealed class AdminDeliveriesTests(DownloadWebFactory factory) : IClassFixture<DownloadWebFactory>
{
    private static string NewId() => $"prod_keys_{Guid.NewGuid():N}"[..22];

    [Fact]
    public async Task Admin_uploads_licence_keys_duplicates_are_skipped_and_the_audit_names_no_key()
    {
        var productId = NewId();
        await factory.SeedProductAsync(productId, 2900, kind: DeliveryKind.LicenseKey);
        using var admin = await factory.AdminAsync();
        var me = await (await admin.GetAsync("/api/me")).JsonAsync();

        var first = await (await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/products/{productId}/license-keys",
            new { keys = new[] { "KEY-0001", "KEY-0002", " KEY-0003 ", "" } })).JsonAsync();
        var second = await (await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/products/{productId}/license-keys",
            new { keys = new[] { "KEY-0003", "KEY-0004" } })).JsonAsync();
        var pool = await (await admin.GetAsync($"/api/admin/products/{productId}/license-keys")).JsonAsync();

        Assert.Equal(3, first.GetProperty("added").GetInt32());
        Assert.Equal(1, first.GetProperty("skipped").GetInt32());
        Assert.Equal(1, second.GetProperty("added").GetInt32());
        Assert.Equal(1, second.GetProperty("skipped").GetInt32());
        Assert.Equal(4, pool.GetProperty("available").GetInt32());
        Assert.Equal(0, pool.GetProperty("allocated").GetInt32());
        Assert.Equal(2, await factory.Database.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE target = $1 AND action = 'license-keys.added' AND actor_id = $2",
            $"product:{productId}", me.GetProperty("id").GetString()!));
        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*)::int FROM audit_log WHERE details::text LIKE '%KEY-000%'"));
    }

    [Theory]
    [InlineData("{}", "keys as a list of strings")]
    [InlineData("{\"keys\": []}", "at least one licence key")]
    [InlineData("{\"keys\": [\"  \", \"\"]}", "at least one licence key")]
    [InlineData("{\"keys\": [\"GOOD-KEY\", \"BAD\\tKEY\"]}", "control character")]
    public async Task Bad_key_uploads_are_refused_with_a_problem_that_says_what_to_fix_and_add_nothing(string body, string hint)
    {
        var productId = NewId();
        await factory.SeedProductAsync(productId, 2900, kind: DeliveryKind.LicenseKey);
        using var admin = await factory.AdminAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/admin/products/{productId}/license-keys", UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-XSRF-TOKEN", admin.XsrfToken);
        using var response = await admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(hint, (await Problem.ReadAsync(response)).Raw, StringComparison.Ordinal);
        Assert.Equal(0, (await factory.Grains().GetGrain<Courier.Abstractions.Deliveries.ILicenseKeyPoolGrain>(productId).GetAsync()).Available);
    }

    [Fact]
    public async Task Overlong_key_is_named_by_its_position()
    {
        var productId = NewId();
        await factory.SeedProductAsync(productId, 2900, kind: DeliveryKind.LicenseKey);
        using var admin = await factory.AdminAsync();

        using var response = await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/products/{productId}/license-keys",
            new { keys = new[] { "FINE", new string('X', 201) } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("This key has 201 characters; a key may have at most 200.", problem.Body.GetProperty("keys[1]").GetString());
    }

    [Fact]
    public async Task Keys_for_a_download_product_or_an_unknown_product_are_refused()
    {
        var (download, _) = await factory.SeedDownloadAsync();
        using var admin = await factory.AdminAsync();

        using var wrongKind = await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/products/{download.Id}/license-keys", new { keys = new[] { "K-1" } });
        using var unknown = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/products/prod_nope/license-keys", new { keys = new[] { "K-1" } });

        Assert.Equal(HttpStatusCode.Conflict, wrongKind.StatusCode);
        Assert.Contains("not as a licence key", (await Problem.ReadAsync(wrongKind)).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Only_admins_may_upload_keys_or_grant_downloads()
    {
        var productId = NewId();
        await factory.SeedProductAsync(productId, 2900, kind: DeliveryKind.LicenseKey);
        using var customer = await factory.CustomerAsync();
        using var anonymous = new ApiSession(factory);

        using var byCustomer = await customer.SendJsonAsync(HttpMethod.Post, $"/api/admin/products/{productId}/license-keys", new { keys = new[] { "K-1" } });
        using var countsByCustomer = await customer.GetAsync($"/api/admin/products/{productId}/license-keys");
        using var grantByCustomer = await customer.SendJsonAsync(HttpMethod.Post, "/api/admin/deliveries/ord_x:1/downloads", new { extra = 5, reason = "please" });
        using var byAnonymous = await anonymous.GetAsync($"/api/admin/products/{productId}/license-keys");

        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, countsByCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, grantByCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byAnonymous.StatusCode);
        Assert.Equal(0, (await factory.Grains().GetGrain<Courier.Abstractions.Deliveries.ILicenseKeyPoolGrain>(productId).GetAsync()).Available);
    }

    [Fact]
    public async Task Grant_with_bad_fields_or_for_an_unknown_delivery_is_refused()
    {
        var (product, _) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;
        using var admin = await factory.AdminAsync();

        using var tooMany = await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/deliveries/{id}/downloads", new { extra = 500, reason = "" });
        using var unknown = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/deliveries/ord_nope:1/downloads", new { extra = 1, reason = "r" });

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var problem = await Problem.ReadAsync(tooMany);
        Assert.Equal("Grant between 1 and 100 extra downloads at a time.", problem.Body.GetProperty("extra").GetString());
        Assert.True(problem.Body.TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(10, (await shopper.DeliveryAsync(id)).GetProperty("downloads").GetProperty("limit").GetInt32());
    }

    [Theory]
    [InlineData("/d/{token}", "get")]
    [InlineData("/api/deliveries/{id}/links", "post")]
    [InlineData("/api/deliveries/{id}/resend", "post")]
    [InlineData("/api/admin/products/{id}/license-keys", "post")]
    [InlineData("/api/admin/products/{id}/license-keys", "get")]
    [InlineData("/api/admin/deliveries/{id}/downloads", "post")]
    public async Task Every_download_and_self_service_endpoint_is_described_in_the_openapi_document(string path, string verb)
    {
        using var client = factory.CreateClient();

        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(verb);
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
    }
}
