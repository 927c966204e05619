using System.Net;
using System.Text.RegularExpressions;
using Courier.WebFront.Tests.Deliveries;
using Courier.WebFront.Tests.SiteAccess;

namespace Courier.WebFront.Tests.Account;

/// <summary>The order page's self-service parts as the server renders them, on the real download and site-access deliveries.</summary>
public sealed partial class DownloadOrderPageTests(DownloadWebFactory factory) : IClassFixture<DownloadWebFactory>
{
    [Fact]
    public async Task Download_button_uses_the_current_link_and_the_page_counts_what_was_used()
    {
        var (product, content) = await factory.SeedDownloadAsync(downloadLimit: 3);
        using var customer = await factory.CustomerAsync();
        var delivery = await customer.BuyAsync(product.Id);
        var deliveryId = delivery.GetProperty("id").GetString()!;
        var orderId = deliveryId[..deliveryId.LastIndexOf(':')];

        var before = await customer.PageAsync($"/account/orders/{orderId}");
        var link = DownloadHref().Match(before).Groups[1].Value;
        using var download = await customer.Client.GetAsync(new Uri(WebUtility.HtmlDecode(link), UriKind.Relative));
        var after = await customer.PageAsync($"/account/orders/{orderId}");

        Assert.Equal(DeliveryDriver.LinkOf(delivery), WebUtility.HtmlDecode(link));
        Assert.Contains("<strong>0 of 3</strong> downloads used", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Contains("<strong>1 of 3</strong> downloads used", after, StringComparison.Ordinal);
        Assert.Contains("data-step=\"downloaded\" data-state=\"current\"", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"download-new-link\"", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"delivery-resend\"", after, StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"([^\"]+)\" download data-download-link")]
    private static partial Regex DownloadHref();
}

public sealed class HostedSiteOrderPageTests(SiteAccessWebFactory factory) : IClassFixture<SiteAccessWebFactory>
{
    [Fact]
    public async Task Hosted_site_sign_in_is_shown_only_on_request_never_in_the_page()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using (customer)
        {
            var orderId = deliveryId[..deliveryId.LastIndexOf(':')];

            var html = await customer.PageAsync($"/account/orders/{orderId}");
            var login = await customer.CredentialsAsync(deliveryId);

            Assert.Contains("data-testid=\"credentials-reveal\"", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"credentials-rotate\"", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"rotate-dialog\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain(login.Password, html, StringComparison.Ordinal);
        }
    }
}
