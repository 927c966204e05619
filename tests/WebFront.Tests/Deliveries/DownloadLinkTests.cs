using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Payments;
using Courier.Silo.Deliveries;
using Courier.TestSupport;
using Courier.WebFront.Tests.Commerce;

namespace Courier.WebFront.Tests.Deliveries;

public sealed class DownloadLinkTests(DownloadWebFactory factory) : IClassFixture<DownloadWebFactory>
{
    private static async Task<HttpResponseMessage> DownloadAsync(ApiSession session, string url, RangeHeaderValue? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        request.Headers.Range = range;
        request.Headers.UserAgent.ParseAdd("CourierTest/1.0");
        return await session.Client.SendAsync(request);
    }

    [Fact]
    public async Task Download_link_streams_the_file_with_its_name_type_and_length_and_marks_the_delivery_downloaded()
    {
        var (product, content) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;
        Assert.Equal(0, delivery.GetProperty("downloads").GetProperty("used").GetInt32());
        Assert.Equal(10, delivery.GetProperty("downloads").GetProperty("limit").GetInt32());

        using var response = await DownloadAsync(shopper, DeliveryDriver.LinkOf(delivery));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"{product.Slug}.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        var after = await shopper.DeliveryAsync(id);
        Assert.Equal("downloaded", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("downloads").GetProperty("used").GetInt32());
        Assert.Equal(9, after.GetProperty("downloads").GetProperty("remaining").GetInt32());
        Assert.Equal("CourierTest/1.0|Counted", await factory.Database.ScalarAsync<string>(
            "SELECT user_agent || '|' || outcome FROM download_log WHERE delivery_id = $1", id));
    }

    [Fact]
    public async Task Range_requests_answer_206_and_a_resume_does_not_use_another_download()
    {
        var (product, content) = await factory.SeedDownloadAsync(size: 10_000);
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var link = DeliveryDriver.LinkOf(delivery);

        using var first = await DownloadAsync(shopper, link, new RangeHeaderValue(0, 999));
        using var rest = await DownloadAsync(shopper, link, new RangeHeaderValue(1000, null));

        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal("bytes 0-999/10000", first.Content.Headers.ContentRange?.ToString());
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal("bytes 1000-9999/10000", rest.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content, (await first.Content.ReadAsByteArrayAsync()).Concat(await rest.Content.ReadAsByteArrayAsync()).ToArray());
        var after = await shopper.DeliveryAsync(delivery.GetProperty("id").GetString()!);
        Assert.Equal(1, after.GetProperty("downloads").GetProperty("used").GetInt32());
        Assert.Equal("Counted,Resumed", await factory.Database.ScalarAsync<string>(
            "SELECT string_agg(outcome, ',' ORDER BY id) FROM download_log WHERE delivery_id = $1", delivery.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Range_past_the_end_answers_416_and_uses_no_download()
    {
        var (product, _) = await factory.SeedDownloadAsync(size: 100);
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);

        using var response = await DownloadAsync(shopper, DeliveryDriver.LinkOf(delivery), new RangeHeaderValue(5000, null));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal(0, (await shopper.DeliveryAsync(delivery.GetProperty("id").GetString()!)).GetProperty("downloads").GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task Expired_link_answers_410_saying_when_it_expired_and_how_to_get_a_new_one_which_works()
    {
        var (product, content) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;
        var expiresAt = delivery.GetProperty("downloads").GetProperty("link").GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(factory.Clock.GetUtcNow() + TimeSpan.FromHours(24), expiresAt);

        factory.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using var expired = await DownloadAsync(shopper, DeliveryDriver.LinkOf(delivery));

        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        var problem = await Problem.ReadAsync(expired);
        Assert.EndsWith("/download-link-expired", problem.Type, StringComparison.Ordinal);
        Assert.Equal($"Download link expired on {expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. " +
                     "Generate a new one from Orders → Downloads; your purchase is still yours.", problem.Detail);

        var renewed = await (await shopper.PostAsync($"/api/deliveries/{id}/links")).JsonAsync();
        using var fresh = await DownloadAsync(shopper, renewed.GetProperty("link").GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(content, await fresh.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task New_link_kills_the_old_one_at_once()
    {
        var (product, _) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var old = DeliveryDriver.LinkOf(delivery);

        var renewed = await (await shopper.PostAsync($"/api/deliveries/{delivery.GetProperty("id").GetString()}/links")).JsonAsync();
        using var oldResponse = await DownloadAsync(shopper, old);
        using var newResponse = await DownloadAsync(shopper, renewed.GetProperty("link").GetProperty("url").GetString()!);

        Assert.Equal(HttpStatusCode.Gone, oldResponse.StatusCode);
        Assert.EndsWith("/download-link-replaced", (await Problem.ReadAsync(oldResponse)).Type, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, newResponse.StatusCode);
        Assert.Equal(renewed.GetProperty("link").GetProperty("url").GetString(), DeliveryDriver.LinkOf(renewed.GetProperty("delivery")));
    }

    [Fact]
    public async Task Tampered_forged_or_unknown_tokens_all_get_the_same_404_that_reveals_nothing()
    {
        var (product, _) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;
        var token = DeliveryDriver.LinkOf(delivery)["/d/".Length..];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var expires = delivery.GetProperty("downloads").GetProperty("link").GetProperty("expiresAt").GetDateTimeOffset();
        string[] bad =
        [
            token[..^2] + (token[^2] == 'A' ? "BB" : "AA"),                                             // signature changed
            new SignedDownloadLink(id, 1, expires.AddDays(30)).Token(new byte[32]).Split('.')[0] + token[dot..], // payload changed, old signature
            new SignedDownloadLink(id, 1, expires).Token(RandomNumberGenerator.GetBytes(32)),            // signed with another key
            new SignedDownloadLink("ord_unknown:1", 1, expires).Token(RandomNumberGenerator.GetBytes(32)),
            "not-a-token",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        ];

        var answers = new List<string>();
        foreach (var forged in bad)
        {
            using var response = await DownloadAsync(shopper, "/d/" + forged);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = await Problem.ReadAsync(response);
            answers.Add($"{problem.Type}|{problem.Title}|{problem.Detail}");
            Assert.DoesNotContain(id.Split(':')[0], problem.Raw, StringComparison.Ordinal);
            Assert.DoesNotContain(product.Slug, problem.Raw, StringComparison.Ordinal);
        }

        Assert.Single(answers.Distinct());
        Assert.Equal(0, (await shopper.DeliveryAsync(id)).GetProperty("downloads").GetProperty("used").GetInt32());
        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*)::int FROM download_log WHERE delivery_id = $1", id));
    }

    [Fact]
    public async Task Download_limit_refuses_the_download_after_the_last_and_an_admin_grant_allows_one_more()
    {
        var (product, _) = await factory.SeedDownloadAsync(downloadLimit: 2);
        using var shopper = await new ApiSession(factory).OpenAsync();
        var delivery = await shopper.BuyAsync(product.Id);
        var id = delivery.GetProperty("id").GetString()!;
        var link = DeliveryDriver.LinkOf(delivery);

        (await DownloadAsync(shopper, link)).Dispose();
        (await DownloadAsync(shopper, link)).Dispose();
        using var third = await DownloadAsync(shopper, link);

        Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        var problem = await Problem.ReadAsync(third);
        Assert.EndsWith("/download-limit-reached", problem.Type, StringComparison.Ordinal);
        Assert.StartsWith("You have used all 2 downloads of this purchase.", problem.Detail, StringComparison.Ordinal);
        var exhausted = await shopper.DeliveryAsync(id);
        Assert.False(exhausted.GetProperty("actions").GetProperty("newLink").GetProperty("available").GetBoolean());

        using var admin = await factory.AdminAsync();
        var granted = await (await admin.SendJsonAsync(HttpMethod.Post, $"/api/admin/deliveries/{id}/downloads",
            new { extra = 1, reason = "The customer's disk failed." })).JsonAsync();
        using var fourth = await DownloadAsync(shopper, link);

        Assert.Equal(3, granted.GetProperty("downloads").GetProperty("limit").GetInt32());
        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        Assert.Equal(1, await factory.Database.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE target = $1 AND action = 'delivery.downloads-granted' AND details->>'reason' = 'The customer''s disk failed.'", $"delivery:{id}"));
        Assert.Equal("Counted,Counted,LimitReached,Counted", await factory.Database.ScalarAsync<string>(
            "SELECT string_agg(outcome, ',' ORDER BY id) FROM download_log WHERE delivery_id = $1", id));
    }

    [Fact]
    public async Task Full_refund_kills_the_link_and_a_partial_refund_keeps_it()
    {
        var (product, _) = await factory.SeedDownloadAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        var partly = await shopper.BuyAsync(product.Id);
        var fully = await shopper.BuyAsync(product.Id);

        await RefundAsync(partly.GetProperty("orderId").GetString()!, 1000);
        await RefundAsync(fully.GetProperty("orderId").GetString()!, 4900);
        await Eventually.TrueAsync(async () =>
            (await shopper.DeliveryAsync(fully.GetProperty("id").GetString()!)).GetProperty("status").GetString() == "revoked",
            because: "the refunded order revokes its delivery");

        using var kept = await DownloadAsync(shopper, DeliveryDriver.LinkOf(partly));
        using var killed = await DownloadAsync(shopper, DeliveryDriver.LinkOf(fully));
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, killed.StatusCode);
        var problem = await Problem.ReadAsync(killed);
        Assert.EndsWith("/download-revoked", problem.Type, StringComparison.Ordinal);
        Assert.Equal("This delivery was withdrawn: the order was refunded.", problem.Detail);
        Assert.Equal("downloaded", (await shopper.DeliveryAsync(partly.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }

    private Task RefundAsync(string orderId, long amount) =>
        factory.Grains().GetGrain<IOrderGrain>(orderId).ApplyPaymentEventAsync(new PaymentEvent(
            $"evt_refund_{Guid.NewGuid():N}", PaymentEventKind.Refunded, factory.Clock.GetUtcNow(), orderId, null, null, amount, "usd", null));
}
