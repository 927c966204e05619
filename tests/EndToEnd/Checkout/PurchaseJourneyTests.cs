using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Checkout;

/// <summary>
/// A first-time visitor buys two templates through the real pages only — landing, catalog,
/// product pages, floating cart, checkout, the payment page, the return page — watches the
/// delivery arrive without reloading, opens the order and downloads what they bought.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed partial class PurchaseJourneyTests(ChromiumBrowser browser, StoreServer store)
{
    [Fact]
    public async Task A_new_visitor_buys_two_templates_watches_them_become_ready_live_and_downloads_one()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        var page = visit.Page;

        await page.GotoAsync("/");
        await page.GetByTestId("hero-browse").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/templates$"));
        var first = await AddFromCatalogAsync(page, "aurora-saas");
        await page.GetByTestId("nav-templates").ClickAsync();
        var second = await AddFromCatalogAsync(page, "meridian-dashboard");

        var total = Prices.InStore(first + second);
        await Expect(page.GetByTestId("floating-cart-count")).ToHaveTextAsync("2 items");
        await Expect(page.GetByTestId("floating-cart-total")).ToHaveTextAsync(total);
        await Expect(page.GetByTestId("header-cart-count")).ToHaveTextAsync("2");

        await page.GetByTestId("floating-cart-checkout").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await Expect(page.GetByTestId("checkout-line")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("checkout-total")).ToHaveTextAsync(total);
        await page.GetByLabel("E-mail address").FillAsync("first.visit@example.com");
        // Held until the return page is open, so the test sees the delivery become ready there.
        using var hold = store.Downloads.Hold("prod_aurora");
        await page.GetByTestId("checkout-pay").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/pay/cs_sim_"));
        await page.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {Prices.OnPaymentPage(first + second)}" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/checkout/return\\?order=ord_"));
        var orderId = OrderId().Match(page.Url).Groups[1].Value;
        var returned = new OrderReturnPage(visit);
        await SameWindow.MarkAsync(page);
        await Expect(returned.DeliveryStep("Aurora")).ToHaveAttributeAsync("data-state", "current");
        await Expect(returned.Headline).Not.ToHaveTextAsync(OrderReturnPage.ReadyHeadline);

        hold.Release();

        await returned.ExpectPaidAndReadyAsync(lines: 2);
        await Expect(returned.Total).ToHaveTextAsync(total);
        await SameWindow.AssertNotReloadedAsync(page);

        await page.GetByTestId("order-open").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/orders/{orderId}$"));
        var aurora = page.GetByTestId("delivery").Filter(new() { HasText = "Aurora" });
        await Expect(aurora).ToHaveAttributeAsync("data-status", "ready");
        var download = await page.RunAndWaitForDownloadAsync(() => aurora.GetByTestId("download-button").ClickAsync());
        Assert.Equal("aurora-saas.zip", download.SuggestedFilename);
        using var saved = new MemoryStream();
        await (await download.CreateReadStreamAsync()).CopyToAsync(saved);
        using (var zip = new ZipArchive(saved, ZipArchiveMode.Read))
            Assert.Contains(zip.Entries, entry => entry.FullName.EndsWith("index.html", StringComparison.Ordinal));
        await Expect(aurora.GetByTestId("downloads-used")).ToContainTextAsync("1 of 10");
        await Expect(aurora).ToHaveAttributeAsync("data-status", "downloaded");
        visit.ConsoleErrors.AssertNone();
    }

    /// <summary>Opens the product from the catalog, adds it to the cart and returns its price as the page showed it, in cents.</summary>
    private static async Task<long> AddFromCatalogAsync(IPage page, string slug)
    {
        await page.Locator($"[data-testid=product-card][data-slug={slug}]").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/templates/{slug}$"));
        var price = await page.GetByTestId("product-price").TextContentAsync();
        var before = await page.GetByTestId("header-cart-count").TextContentAsync();
        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("header-cart-count")).Not.ToHaveTextAsync(before!);
        return (long)(decimal.Parse(price!.TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture) * 100);
    }

    [GeneratedRegex("[?&]order=([^&]+)")]
    private static partial Regex OrderId();
}
