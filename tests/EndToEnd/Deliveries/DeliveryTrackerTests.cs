using Courier.EndToEnd.Tests.Browsing;
using Courier.EndToEnd.Tests.Checkout;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Deliveries;

/// <summary>
/// The pages that show a delivery's progress keep up with it by themselves: a first provisioning
/// attempt that fails shows as Retrying, and the automatic retry (on the delivery's real
/// schedule, about 5 s later) shows as Ready — on the return page and on the account's order
/// page at once, without a reload.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class DeliveryTrackerTests(ChromiumBrowser browser, StoreServer store)
{
    // Bought by no other browser test, so its scripted failure touches nothing else.
    private const string Product = "prod_ledger";

    [Fact]
    public async Task A_delivery_whose_first_attempt_fails_shows_retrying_then_ready_live_on_the_return_and_order_pages()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Phone);
        var returnPage = visit.Page;
        await returnPage.GotoAsync("/signin");
        await StoreApi.RegisterAsync(returnPage, "grace.retry@example.com", "Grace Hopper");
        await StoreApi.AddToCartAsync(returnPage, Product);
        var checkout = await StoreApi.CheckoutAsync(returnPage);
        store.Downloads.FailFirst(Product, times: 1, "The file host did not answer");
        using var hold = store.Downloads.Hold(Product);

        await PaymentPage.PayAsync(returnPage, checkout.RedirectUrl);
        var returned = new OrderReturnPage(visit);
        var onReturnPage = returned.DeliveryStep("Ledger");
        await Expect(onReturnPage).ToHaveAttributeAsync("data-state", "current");
        await SameWindow.MarkAsync(returnPage);

        var orderPage = await visit.OpenTabAsync();
        await orderPage.GotoAsync($"/account/orders/{checkout.OrderId}");
        var onOrderPage = orderPage.GetByTestId("delivery");
        await Expect(onOrderPage).ToHaveAttributeAsync("data-status", "processing");
        await Expect(orderPage.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "live");
        await SameWindow.MarkAsync(orderPage);

        hold.Release();

        await Expect(onReturnPage).ToHaveAttributeAsync("data-delivery-status", "Retrying");
        await Expect(onReturnPage).ToContainTextAsync("Retrying. We try again automatically at");
        await Expect(onOrderPage).ToHaveAttributeAsync("data-status", "retrying");
        await Expect(onOrderPage.Locator("[data-testid=delivery-step][data-state=retrying]")).ToContainTextAsync("Attempt 1 did not work; retrying automatically");

        await returned.ExpectPaidAndReadyAsync(lines: 1);
        await Expect(onOrderPage).ToHaveAttributeAsync("data-status", "ready");
        await Expect(onOrderPage.GetByTestId("download-button")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/d/"));
        await SameWindow.AssertNotReloadedAsync(returnPage);
        await SameWindow.AssertNotReloadedAsync(orderPage);
        Assert.Equal([1, 2], store.Downloads.Received.Where(r => r.ProductId == Product).Select(r => r.Attempt));
        visit.ConsoleErrors.AssertNone();
    }
}
