using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Storefront;

/// <summary>
/// The floating cart — for shoppers who never find the navbar cart icon — on a laptop and on a
/// phone: there only while the cart has items, the same count and total as the navbar icon, live
/// across tabs, and never in the way of the footer's last links, the checkout's pay button or the
/// product page's own Add to cart button.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class FloatingCartTests(ChromiumBrowser browser, StoreServer store)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Floating_cart_shows_the_cart_in_sync_with_the_navbar_and_other_tabs_and_covers_nothing(string screen)
    {
        await using var visit = await browser.VisitAsync(store, Screen.Named(screen));
        var shop = new CartOnPage(visit.Page);

        await visit.Page.GotoAsync("/templates/aurora-saas");
        await shop.ExpectEmptyAsync();

        await visit.Page.GetByTestId("add-to-cart").ClickAsync();
        await shop.ExpectAsync(items: 1, total: "$49.00");

        var otherTab = new CartOnPage(await visit.OpenTabAsync());
        await otherTab.Page.GotoAsync("/templates/folio-portfolio");
        await otherTab.ExpectAsync(items: 1, total: "$49.00");

        await visit.Page.GetByTestId("add-to-cart").ClickAsync();
        await shop.ExpectAsync(items: 2, total: "$98.00");
        await otherTab.ExpectAsync(items: 2, total: "$98.00");

        await otherTab.Page.GetByTestId("add-to-cart").ClickAsync();
        await otherTab.ExpectAsync(items: 3, total: "$137.00");
        await shop.ExpectAsync(items: 3, total: "$137.00");

        await shop.ExpectFooterLinksUncoveredAsync();

        await visit.Page.GotoAsync("/checkout");
        await Expect(shop.Floating).ToHaveCountAsync(0);
        await Expect(visit.Page.GetByTestId("header-cart")).ToHaveAttributeAsync("aria-label", "Cart, 3 items");
        await Expect(visit.Page.GetByTestId("checkout-pay")).ToBeEnabledAsync();
        await CartOnPage.ExpectUncoveredAsync(visit.Page.GetByTestId("checkout-pay"));

        await otherTab.EmptyThroughThePanelAsync();
        await otherTab.ExpectEmptyAsync();
        await Expect(visit.Page.GetByTestId("checkout-empty")).ToBeVisibleAsync();
        await Expect(visit.Page.GetByTestId("header-cart-count")).ToBeHiddenAsync();
        visit.ConsoleErrors.AssertNone();
    }

    [Fact]
    public async Task Floating_cart_on_a_phone_gives_way_to_the_product_s_add_to_cart_button_and_returns_when_it_scrolls_off()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Named("phone"));
        var shop = new CartOnPage(visit.Page);
        await visit.Page.GotoAsync("/templates/aurora-saas");
        await visit.Page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(visit.Page.GetByTestId("header-cart-count")).ToHaveTextAsync("1");

        await visit.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var add = visit.Page.GetByTestId("add-to-cart");
        await Expect(add).ToBeInViewportAsync();
        await Expect(shop.Floating).Not.ToBeInViewportAsync();
        Assert.True(await add.EvaluateAsync<bool>(
            "button => { const r = button.getBoundingClientRect(); const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return button.contains(hit); }"),
            "Something else than the Add to cart button takes a tap on its middle.");
        await visit.Page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(visit.Page.GetByTestId("header-cart-count")).ToHaveTextAsync("2");

        await visit.Page.GetByTestId("delivery-promise").ScrollIntoViewIfNeededAsync();
        await visit.Page.EvaluateAsync("() => window.scrollBy(0, window.innerHeight)");
        await Expect(add).Not.ToBeInViewportAsync();
        await Expect(shop.Floating).ToBeInViewportAsync();
        await shop.ExpectAsync(items: 2, total: "$98.00");
        await CartOnPage.ExpectUncoveredAsync(visit.Page.GetByTestId("floating-cart-checkout"));
        visit.ConsoleErrors.AssertNone();
    }

    /// <summary>The cart as one tab shows it: the floating cart and the navbar's cart icon.</summary>
    private sealed class CartOnPage(IPage page)
    {
        public IPage Page => page;

        public ILocator Floating => page.GetByTestId("floating-cart");

        public async Task ExpectEmptyAsync()
        {
            await Expect(Floating).ToBeHiddenAsync();
            await Expect(page.GetByTestId("header-cart-count")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("header-cart")).ToHaveAttributeAsync("aria-label", "Cart, empty");
        }

        public async Task ExpectAsync(int items, string total)
        {
            await Expect(Floating).ToBeVisibleAsync();
            await Expect(page.GetByTestId("floating-cart-count")).ToHaveTextAsync(items == 1 ? "1 item" : $"{items} items");
            await Expect(page.GetByTestId("floating-cart-total")).ToHaveTextAsync(total);
            await Expect(page.GetByTestId("floating-cart-checkout")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("header-cart-count")).ToHaveTextAsync(items.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(page.GetByTestId("header-cart")).ToHaveAttributeAsync("aria-label", items == 1 ? "Cart, 1 item" : $"Cart, {items} items");
        }

        /// <summary>Scrolled to the very bottom, the floating cart and the footer's last links do not overlap, and each link takes a click.</summary>
        public async Task ExpectFooterLinksUncoveredAsync()
        {
            await page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight)");
            await page.WaitForFunctionAsync("() => Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight");
            var lastLinks = page.GetByTestId("footer-last-links");
            await Expect(lastLinks).ToBeInViewportAsync();
            var cart = await Floating.BoundingBoxAsync() ?? throw new InvalidOperationException("The floating cart is not shown.");
            foreach (var link in await lastLinks.GetByRole(AriaRole.Link).AllAsync())
            {
                var box = (await link.BoundingBoxAsync())!;
                Assert.False(Overlap(cart, box),
                    $"The floating cart ({Describe(cart)}) covers the footer link \"{await link.TextContentAsync()}\" ({Describe(box)}).");
                await ExpectUncoveredAsync(link);
            }
        }

        /// <summary>Playwright's trial click: fails when another element (a fixed bar, say) would receive the click instead.</summary>
        public static Task ExpectUncoveredAsync(ILocator target) => target.ClickAsync(new() { Trial = true, Timeout = 5_000 });

        public async Task EmptyThroughThePanelAsync()
        {
            await page.GetByTestId("header-cart").ClickAsync();
            var panel = page.GetByTestId("cart-panel");
            var lines = panel.GetByTestId("cart-line");
            await Expect(lines).ToHaveCountAsync(2);
            await lines.First.GetByTestId("cart-line-remove").ClickAsync();
            await Expect(lines).ToHaveCountAsync(1);
            await lines.First.GetByTestId("cart-line-remove").ClickAsync();
            await Expect(panel.GetByTestId("cart-panel-empty")).ToBeVisibleAsync();
            await panel.GetByTestId("cart-panel-close").ClickAsync();
            await Expect(panel).ToBeHiddenAsync();
        }

        private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
            a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

        private static string Describe(LocatorBoundingBoxResult box) => FormattableString.Invariant($"x {box.X:0}–{box.X + box.Width:0}, y {box.Y:0}–{box.Y + box.Height:0}");
    }
}
