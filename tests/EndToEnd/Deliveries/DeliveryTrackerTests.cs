using Courier.EndToEnd.Tests.Browsing;
using Courier.EndToEnd.Tests.Checkout;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Deliveries;

/// <summary>
/// The page that shows a delivery's progress keeps up with it by itself: a first provisioning
/// attempt that fails shows as Retrying, and the automatic retry (on the delivery's real
/// schedule) shows as Ready — on the same page, without a reload.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class DeliveryTrackerTests(ChromiumBrowser browser, StoreServer store)
{
    // Bought by no other browser test, so its scripted failure touches nothing else.
    private const string Product = "prod_ledger";

    [Fact]
    public async Task A_delivery_whose_first_attempt_fails_shows_retrying_then_ready_live_on_the_return_page()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Phone);
        var page = visit.Page;
        await page.GotoAsync("/");
        await StoreApi.AddToCartAsync(page, Product);
        var checkout = await StoreApi.CheckoutAsync(page, "retry@example.com");
        store.Downloads.FailFirst(Product, times: 1, "The file host did not answer");
        using var hold = store.Downloads.Hold(Product);

        await page.GotoAsync(checkout.RedirectUrl);
        await page.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Pay ") }).ClickAsync();
        var returned = new OrderReturnPage(page);
        await returned.ExpectOpenedAsync(checkout.OrderId);
        await returned.MarkWindowAsync();
        var delivery = returned.DeliveryStep("Ledger");
        await Expect(delivery).ToHaveAttributeAsync("data-state", "current");

        hold.Release();

        await Expect(delivery).ToHaveAttributeAsync("data-delivery-status", "Retrying");
        await Expect(delivery).ToContainTextAsync("Retrying. We try again automatically at");
        await Expect(delivery).ToHaveAttributeAsync("data-state", "current");
        await Expect(delivery).ToHaveAttributeAsync("data-delivery-status", "Ready");
        await returned.ExpectPaidAndReadyAsync(lines: 1);
        await returned.ExpectNotReloadedAsync();
        Assert.Equal([1, 2], store.Downloads.Received.Where(r => r.ProductId == Product).Select(r => r.Attempt));
        visit.ConsoleErrors.AssertNone();
    }
}
