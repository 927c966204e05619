using System.Text.Json;
using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Checkout;

/// <summary>
/// A guest's purchase in the browser: the cart and checkout through the API from the page (as the
/// storefront's script does), then the simulated provider's payment page and the return page.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class SimulatedPaymentTests(ChromiumBrowser browser, StoreServer store)
{
    private const string Product = "prod_aurora";
    private const string SuccessCard = "4242 4242 4242 4242";
    private const string DeclinedCard = "4000 0000 0000 0002";

    [Fact]
    public async Task A_guest_who_pays_with_the_test_card_returns_to_their_confirmed_paid_order()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        var page = visit.Page;
        var (checkout, total) = await StartCheckoutAsync(page, "ada@example.com");

        await page.GotoAsync(checkout.RedirectUrl);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Pay {Prices.OnPaymentPage(total)}");
        await page.GetByLabel("Card number").FillAsync(SuccessCard);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {Prices.OnPaymentPage(total)}" }).ClickAsync();

        var returned = new OrderReturnPage(visit);
        await returned.ExpectOpenedAsync(checkout.OrderId);
        await returned.ExpectPaidAndReadyAsync(lines: 1);
        await Expect(returned.Total).ToHaveTextAsync(Prices.InStore(total));
        await Expect(page.GetByText("Receipt sent to")).ToContainTextAsync("ada@example.com");
        var order = (await StoreApi.GetOrderAsync(page, checkout.OrderId)).GetProperty("order");
        Assert.NotEqual(JsonValueKind.Null, order.GetProperty("payment").GetProperty("paidAt").ValueKind);
        Assert.NotEqual("pendingPayment", order.GetProperty("status").GetString());
        visit.ConsoleErrors.AssertNone();
    }

    [Fact]
    public async Task A_declined_card_says_so_charges_nothing_and_lets_the_guest_pay_with_another_card()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Phone);
        var page = visit.Page;
        var (checkout, total) = await StartCheckoutAsync(page, "grace@example.com");

        await page.GotoAsync(checkout.RedirectUrl);
        await page.GetByLabel("Card number").FillAsync(DeclinedCard);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {Prices.OnPaymentPage(total)}" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your card was declined.");
        Assert.Equal(JsonValueKind.Null, (await StoreApi.GetOrderAsync(page, checkout.OrderId)).GetProperty("order").GetProperty("payment").GetProperty("paidAt").ValueKind);

        await page.GetByLabel("Card number").FillAsync(SuccessCard);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {Prices.OnPaymentPage(total)}" }).ClickAsync();

        await new OrderReturnPage(visit).ExpectPaidAndReadyAsync(lines: 1);
        visit.ConsoleErrors.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Screen.EveryLook), MemberType = typeof(Screen))]
    public async Task Payment_and_return_pages_have_no_serious_accessibility_violations_and_are_captured(string screen, ColorScheme scheme)
    {
        await using var visit = await browser.VisitAsync(store, Screen.Named(screen), scheme);
        var page = visit.Page;
        var (checkout, total) = await StartCheckoutAsync(page, "screenshots@example.com");

        await page.GotoAsync(checkout.RedirectUrl);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await Screenshots.CaptureAsync(page, "pay");

        await page.GetByLabel("Card number").FillAsync(DeclinedCard);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {Prices.OnPaymentPage(total)}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await Screenshots.CaptureAsync(page, "pay-declined");

        await page.GetByLabel("Card number").FillAsync(SuccessCard);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {Prices.OnPaymentPage(total)}" }).ClickAsync();
        await new OrderReturnPage(visit).ExpectPaidAndReadyAsync(lines: 1);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await Screenshots.CaptureAsync(page, "checkout-return");
        visit.ConsoleErrors.AssertNone();
    }

    /// <summary>Opens the store as a new visitor, puts the product in the cart and checks out with an e-mail address.</summary>
    private static async Task<(CheckoutStarted Checkout, long Total)> StartCheckoutAsync(IPage page, string email)
    {
        await page.GotoAsync("/");
        var cart = await StoreApi.AddToCartAsync(page, Product);
        var checkout = await StoreApi.CheckoutAsync(page, email);
        return (checkout, cart.GetProperty("total").GetProperty("amount").GetInt64());
    }
}
