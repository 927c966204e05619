using System.Net;
using Courier.Abstractions.Accounts;
using Courier.TestSupport;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Commerce;

public sealed class AdminCatalogTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static object Product(string slug, long price = 3900) => new
    {
        slug, title = "Nimbus docs theme", summary = "A calm documentation theme.", descriptionMarkdown = "## What you get\nTemplates.",
        images = new[] { "/media/products/nimbus.svg" }, price = new { amount = price, currency = "USD" }, deliveryKind = "download",
        stockLimit = (int?)null, deliverySlaSeconds = 120, tags = new[] { "docs" }, active = true,
    };

    private async Task<ApiSession> AdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(email, "Store admin", "admin passphrase 42", [Roles.Admin], "system:test");
        var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(email, "admin passphrase 42")).Dispose();
        return admin;
    }

    [Fact]
    public async Task Admin_creates_updates_and_archives_a_product_and_every_change_is_audited()
    {
        using var admin = await AdminAsync();
        var me = await (await admin.GetAsync("/api/me")).JsonAsync();
        var slug = $"nimbus-{Guid.NewGuid():N}"[..20];

        var created = await (await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product(slug))).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("usd", created.GetProperty("price").GetProperty("currency").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/products/{slug}")).StatusCode);

        var updated = await (await admin.SendJsonAsync(HttpMethod.Put, $"/api/admin/products/{id}", Product(slug, price: 4500))).JsonAsync();
        Assert.Equal(4500, updated.GetProperty("price").GetProperty("amount").GetInt64());

        await (await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/products/{id}/archive")).JsonAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/products/{slug}")).StatusCode);

        Assert.Equal(3, await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE target = $1 AND actor_id = $2", $"product:{id}", me.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Ten_admins_creating_the_same_slug_at_once_get_one_201_and_nine_409s_naming_the_slug()
    {
        using var admin = await AdminAsync();
        var slug = $"race-{Guid.NewGuid():N}"[..18];

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => admin.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product(slug))));

        try
        {
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            var conflicts = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
            Assert.All(conflicts, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
            foreach (var conflict in conflicts)
                Assert.Contains(slug, (await Problem.ReadAsync(conflict)).Detail, StringComparison.Ordinal);
            Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM catalog_products WHERE slug = $1", slug));
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }

    [Fact]
    public async Task Duplicate_slug_and_invalid_fields_are_refused_with_problems_that_name_the_field()
    {
        using var admin = await AdminAsync();
        var slug = $"dupe-{Guid.NewGuid():N}"[..18];
        await (await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product(slug))).JsonAsync(HttpStatusCode.Created);

        using var duplicate = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product(slug));
        using var invalid = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product("Not A Slug!", price: 0));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var problem = await invalid.JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("slug", out _));
        Assert.True(problem.TryGetProperty("price", out _));
    }

    [Fact]
    public async Task Customers_get_403_and_anonymous_callers_401_on_catalog_administration()
    {
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync($"c-{Guid.NewGuid():N}@example.com")).Dispose();
        using var anonymous = await new ApiSession(factory).OpenAsync();

        using var refused = await customer.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product("sneaky-one"));
        using var unknown = await anonymous.SendJsonAsync(HttpMethod.Post, "/api/admin/products", Product("sneaky-two"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Anonymous_cart_is_merged_into_the_account_cart_at_sign_in()
    {
        await factory.SeedProductAsync("prod_merge_a", 1000);
        await factory.SeedProductAsync("prod_merge_b", 2000, stock: 2);
        var email = $"merge-{Guid.NewGuid():N}@example.com";
        using (var earlier = await new ApiSession(factory).OpenAsync())
        {
            (await earlier.RegisterAsync(email)).Dispose();
            await earlier.AddToCartAsync("prod_merge_a", 1);
            await earlier.AddToCartAsync("prod_merge_b", 1);
        }
        using var browser = await new ApiSession(factory).OpenAsync();
        await browser.AddToCartAsync("prod_merge_a", 2);
        await browser.AddToCartAsync("prod_merge_b", 2);

        (await browser.LoginAsync(email, "correct horse battery")).Dispose();

        var cart = await (await browser.GetAsync("/api/cart")).JsonAsync();
        var lines = cart.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("productId").GetString()!, l => l.GetProperty("quantity").GetInt32());
        Assert.Equal(3, lines["prod_merge_a"]);
        Assert.Equal(2, lines["prod_merge_b"]);
        Assert.Equal(5, cart.GetProperty("itemCount").GetInt32());
    }

    [Fact]
    public async Task Dev_mailbox_shows_sent_mail_to_admins_only()
    {
        await factory.SeedProductAsync("prod_mailbox", 1500);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_mailbox");
        var (orderId, redirect) = await shopper.CheckoutAsync("mailbox.reader@example.com");
        (await shopper.PayAsync(redirect, "4242424242424242")).Dispose();
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>("SELECT count(*) FROM mailbox WHERE order_id = $1", orderId) == 1);
        using var admin = await AdminAsync();

        var page = await (await admin.GetAsync("/dev/mail?to=mailbox.reader@example.com")).Content.ReadAsStringAsync();
        using var customerView = await shopper.GetAsync("/dev/mail");

        Assert.Contains($"Your receipt for order {orderId}", page, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, customerView.StatusCode);
    }
}
