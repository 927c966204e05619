using System.Text.RegularExpressions;
using Courier.EndToEnd.Tests.Browsing;
using Courier.EndToEnd.Tests.Checkout;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Deliveries;

/// <summary>
/// A page that could not start watching its order (the hub failed the call, as a server error
/// would) keeps asking until the hub takes the watch, and the delivery still appears live.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class LiveWatchTests(ChromiumBrowser browser, StoreServer store)
{
    private const string Product = "prod_aurora";

    [Fact]
    public async Task A_watch_the_hub_failed_is_asked_again_until_the_order_is_live_and_the_delivery_shows_ready_without_a_reload()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        var page = visit.Page;
        await page.GotoAsync("/");
        await StoreApi.AddToCartAsync(page, Product);
        var checkout = await StoreApi.CheckoutAsync(page, "watch.again@example.com");
        var topic = $"order:{checkout.OrderId}";
        store.Hub.FailNextWatches(topic, times: 2);
        using var hold = store.Downloads.Hold(Product);

        await PaymentPage.PayAsync(page, checkout.RedirectUrl);
        var returned = new OrderReturnPage(visit);
        await returned.ExpectOpenedAsync(checkout.OrderId);
        await SameWindow.MarkAsync(page);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-live-topics", new Regex($"(^| ){Regex.Escape(topic)}=watching( |$)"));
        Assert.Equal(3, store.Hub.WatchesOf(topic));
        await Expect(returned.Headline).Not.ToHaveTextAsync(OrderReturnPage.ReadyHeadline);

        hold.Release();

        await returned.ExpectPaidAndReadyAsync(lines: 1);
        await SameWindow.AssertNotReloadedAsync(page);
        visit.ConsoleErrors.AssertNone();
    }
}
