using System.Net;
using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Silo.Adapters.Mail;
using Courier.TestSupport;
using Courier.WebFront.Tests.Commerce;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Deliveries;

public sealed class SelfServiceTests(DownloadWebFactory factory) : IClassFixture<DownloadWebFactory>
{
    private async Task<IReadOnlyList<MailboxEntry>> MailAsync(string orderId, string kind, int atLeast)
    {
        IReadOnlyList<MailboxEntry> mail = [];
        await Eventually.TrueAsync(async () =>
        {
            mail = [.. (await factory.Services.GetRequiredService<DatabaseMailbox>().ListAsync(null, 500, CancellationToken.None))
                .Where(m => m.OrderId == orderId && m.Kind == kind)];
            return mail.Count >= atLeast;
        }, TimeSpan.FromSeconds(20), $"{atLeast} {kind} e-mail(s) for {orderId}");
        return mail;
    }

    [Fact]
    public async Task Delivery_view_shows_downloads_used_and_left_the_current_link_and_the_actions_available()
    {
        var (product, _) = await factory.SeedDownloadAsync(downloadLimit: 3);
        using var shopper = await new ApiSession(factory).OpenAsync();

        var delivery = await shopper.BuyAsync(product.Id);

        var downloads = delivery.GetProperty("downloads");
        Assert.Equal(0, downloads.GetProperty("used").GetInt32());
        Assert.Equal(3, downloads.GetProperty("limit").GetInt32());
        Assert.Equal(3, downloads.GetProperty("remaining").GetInt32());
        Assert.StartsWith("/d/", downloads.GetProperty("link").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.False(downloads.GetProperty("link").GetProperty("expired").GetBoolean());
        Assert.False(downloads.GetProperty("link").TryGetProperty("linkId", out _));
        var newLink = delivery.GetProperty("actions").GetProperty("newLink");
        Assert.True(newLink.GetProperty("available").GetBoolean());
        Assert.Equal(5, newLink.GetProperty("remainingThisHour").GetInt32());
        Assert.True(delivery.GetProperty("actions").GetProperty("resend").GetProperty("available").GetBoolean());
        var order = await shopper.OrderAsync(delivery.GetProperty("orderId").GetString()!);
        Assert.Equal(DeliveryDriver.LinkOf(delivery), DeliveryDriver.LinkOf(order.GetProperty("deliveries")[0]));
    }

    [Fact]
    public async Task Another_customers_delivery_is_not_found_for_reading_relinking_or_resending()
    {
        var (product, _) = await factory.SeedDownloadAsync();
        using var owner = await factory.CustomerAsync();
        var delivery = await owner.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;
        using var otherCustomer = await factory.CustomerAsync();
        using var guest = await new ApiSession(factory).OpenAsync();

        foreach (var stranger in new[] { otherCustomer, guest })
        {
            using var read = await stranger.GetAsync($"/api/deliveries/{id}");
            using var relink = await stranger.PostAsync($"/api/deliveries/{id}/links");
            using var resend = await stranger.PostAsync($"/api/deliveries/{id}/resend");
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, relink.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, resend.StatusCode);
            Assert.DoesNotContain("/d/", await relink.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var unchanged = await owner.DeliveryAsync(id);
        Assert.Equal(DeliveryDriver.LinkOf(delivery), DeliveryDriver.LinkOf(unchanged));
        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*)::int FROM audit_log WHERE target = $1", $"delivery:{id}"));
    }

    [Fact]
    public async Task New_links_are_limited_to_five_an_hour_with_a_429_retry_after_and_each_is_journaled_and_audited()
    {
        var (product, _) = await factory.SeedDownloadAsync();
        using var customer = await factory.CustomerAsync();
        var me = await (await customer.GetAsync("/api/me")).JsonAsync();
        var delivery = await customer.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;

        for (var i = 0; i < 5; i++)
        {
            var made = await (await customer.PostAsync($"/api/deliveries/{id}/links")).JsonAsync();
            Assert.StartsWith("Here is your new download link.", made.GetProperty("message").GetString(), StringComparison.Ordinal);
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        using var sixth = await customer.PostAsync($"/api/deliveries/{id}/links");

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(55), sixth.Headers.RetryAfter?.Delta);
        var problem = await Problem.ReadAsync(sixth);
        Assert.EndsWith("/self-service-rate-limited", problem.Type, StringComparison.Ordinal);
        Assert.StartsWith("You asked for 5 new download links within the last hour. You can ask again at ", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Your current link works until", problem.Detail, StringComparison.Ordinal);
        var blocked = (await customer.DeliveryAsync(id)).GetProperty("actions").GetProperty("newLink");
        Assert.False(blocked.GetProperty("available").GetBoolean());
        Assert.True(blocked.TryGetProperty("availableAgainAt", out _));

        Assert.Equal(5, await factory.Database.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE target = $1 AND action = 'delivery.link-renewed' AND actor_id = $2", $"delivery:{id}", me.GetProperty("id").GetString()!));
        var timeline = (await customer.OrderAsync(delivery.GetProperty("orderId").GetString()!)).GetProperty("timeline").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == nameof(DownloadLinkRenewed)).Select(e => e.GetProperty("data").GetProperty("cause").GetString()).ToList();
        Assert.Equal(["made for the ready e-mail", .. Enumerable.Repeat("requested by the customer", 5)], timeline);

        factory.Clock.Advance(TimeSpan.FromMinutes(56));
        using var later = await customer.PostAsync($"/api/deliveries/{id}/links");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Resend_emails_the_delivery_again_with_a_new_link_and_the_old_link_stops_working()
    {
        var (product, content) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id, "resend.buyer@example.com");
        var id = delivery.GetProperty("id").GetString()!;
        var orderId = delivery.GetProperty("orderId").GetString()!;

        var resent = await (await shopper.PostAsync($"/api/deliveries/{id}/resend")).JsonAsync();

        Assert.Equal("We sent your delivery e-mail to resend.buyer@example.com again, with a new download link; older links no longer work.",
            resent.GetProperty("message").GetString());
        var mail = Assert.Single(await MailAsync(orderId, "delivery-resent", 1));
        Assert.Equal("resend.buyer@example.com", mail.To);
        var emailed = System.Text.RegularExpressions.Regex.Match(mail.TextBody, @"https?://\S+(/d/\S+)").Groups[1].Value;
        Assert.Equal(resent.GetProperty("link").GetProperty("url").GetString(), emailed);
        using var old = await shopper.GetAsync(DeliveryDriver.LinkOf(delivery));
        using var fresh = await shopper.GetAsync(emailed);
        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Equal(content, await fresh.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await factory.Database.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE target = $1 AND action = 'delivery.email-resent' AND actor_id = 'guest'", $"delivery:{id}"));
        var order = await shopper.OrderAsync(orderId);
        Assert.Contains(order.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == nameof(DeliveryEmailResent));
    }

    [Fact]
    public async Task Licence_key_resend_carries_the_key_and_a_new_link_is_not_offered()
    {
        await factory.SeedProductAsync("prod_selfservice_key", 2900, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_selfservice_key").AddKeysAsync(["SELF-AAAA-BBBB-0001"]);
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync("prod_selfservice_key");
        var id = delivery.GetProperty("id").GetString()!;
        Assert.False(delivery.GetProperty("actions").TryGetProperty("newLink", out var newLink) && newLink.ValueKind != JsonValueKind.Null);

        using var relink = await shopper.PostAsync($"/api/deliveries/{id}/links");
        var resent = await (await shopper.PostAsync($"/api/deliveries/{id}/resend")).JsonAsync();

        Assert.Equal(HttpStatusCode.Conflict, relink.StatusCode);
        Assert.Equal("Only downloads have download links.", (await Problem.ReadAsync(relink)).Detail);
        Assert.Equal(JsonValueKind.Null, resent.GetProperty("link").ValueKind);
        var mail = await MailAsync(delivery.GetProperty("orderId").GetString()!, "delivery-resent", 1);
        Assert.Contains("SELF-AAAA-BBBB-0001", mail[0].TextBody, StringComparison.Ordinal);
    }
}
