using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Storefront;

/// <summary>The slide-over cart and the checkout's coupon, used the way a shopper uses them: by pointer and by keyboard.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class CartPanelTests(ChromiumBrowser browser, StoreServer store)
{
    private const string Title = "Aurora — SaaS Landing Page Template";

    [Fact]
    public async Task Cart_panel_changes_quantities_everywhere_and_closes_on_escape_returning_focus_to_the_cart_button()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        var page = visit.Page;
        await page.GotoAsync("/signin");
        await StoreApi.AddToCartAsync(page, "prod_aurora");
        await page.GotoAsync("/templates/folio-portfolio");

        var cartButton = page.GetByTestId("header-cart");
        await cartButton.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = "Your cart" });
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("cart-line")).ToHaveCountAsync(1);

        await panel.GetByRole(AriaRole.Button, new() { Name = $"Increase quantity of {Title}" }).ClickAsync();
        await Expect(panel.GetByTestId("cart-line-quantity")).ToHaveTextAsync("2");
        await Expect(panel.GetByTestId("cart-panel-total")).ToHaveTextAsync("$98.00");
        await Expect(page.GetByTestId("header-cart-count")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("floating-cart-total")).ToHaveTextAsync("$98.00");

        await panel.GetByRole(AriaRole.Button, new() { Name = $"Decrease quantity of {Title}" }).ClickAsync();
        await Expect(panel.GetByTestId("cart-line-quantity")).ToHaveTextAsync("1");
        await Expect(panel.GetByTestId("cart-panel-total")).ToHaveTextAsync("$49.00");

        await page.Keyboard.PressAsync("Escape");
        await Expect(panel).ToBeHiddenAsync();
        await Expect(cartButton).ToBeFocusedAsync();
        await Expect(page.GetByTestId("floating-cart-count")).ToHaveTextAsync("1 item");
        visit.ConsoleErrors.AssertNone();
    }

    [Fact]
    public async Task A_coupon_lowers_the_checkout_total_and_an_unknown_code_says_so()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Phone);
        var page = visit.Page;
        await page.GotoAsync("/signin");
        await StoreApi.AddToCartAsync(page, "prod_aurora");
        await page.GotoAsync("/checkout");

        await page.GetByLabel("Coupon code").FillAsync("NOSUCHCODE");
        await page.GetByTestId("coupon-apply").ClickAsync();
        await Expect(page.GetByTestId("coupon-error")).ToHaveTextAsync("The code NOSUCHCODE is not valid.");
        await Expect(page.GetByTestId("checkout-total")).ToHaveTextAsync("$49.00");

        await page.GetByLabel("Coupon code").FillAsync("save5");
        await page.GetByTestId("coupon-apply").ClickAsync();
        await Expect(page.GetByTestId("coupon-applied")).ToContainTextAsync("SAVE5 applied");
        await Expect(page.GetByTestId("checkout-discount")).ToHaveTextAsync("−$5.00");
        await Expect(page.GetByTestId("checkout-total")).ToHaveTextAsync("$44.00");
        await Expect(page.GetByTestId("checkout-pay")).ToContainTextAsync("$44.00");
        visit.ConsoleErrors.AssertNone(refusedOnPurpose: "/api/cart/coupon");
    }
}
