using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Storefront;

/// <summary>
/// Every storefront page as a shopper opens it, on a desktop and a phone, in light and dark: axe-core
/// finds no serious or critical violation, the browser logs no error, and the page is captured for
/// <c>docs/screenshots/</c>. (The payment and return pages are covered by the checkout tests.)
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class PageLookTests(ChromiumBrowser browser, StoreServer store)
{
    private const string FirstProduct = "prod_aurora";
    private const string SecondProduct = "prod_folio";

    /// <summary>
    /// Each page by its screenshot name: how a shopper gets there, what to wait for, and whether
    /// the picture is the whole page or only the screen (overlays and the fixed floating cart).
    /// </summary>
    private static readonly Dictionary<string, Shown> Pages = new()
    {
        ["landing"] = new(async page =>
        {
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("featured-products").GetByTestId("product-card").First).ToBeVisibleAsync();
        }),
        ["catalog"] = new(async page =>
        {
            await page.GotoAsync("/templates");
            await Expect(page.GetByTestId("catalog-count")).ToHaveTextAsync("13 products");
        }),
        ["product"] = new(async page =>
        {
            await page.GotoAsync("/templates/aurora-saas");
            await Expect(page.GetByTestId("add-to-cart")).ToBeEnabledAsync();
        }),
        ["floating-cart"] = new(async page =>
        {
            await WithTwoItemsInTheCartAsync(page);
            await page.GotoAsync("/templates/aurora-saas");
            await Expect(page.GetByTestId("add-to-cart")).ToBeEnabledAsync();
            await Expect(page.GetByTestId("floating-cart-count")).ToHaveTextAsync("2 items");
        }, ScreenOnly: true),
        ["cart-panel"] = new(async page =>
        {
            await WithTwoItemsInTheCartAsync(page);
            await page.GotoAsync("/templates/folio-portfolio");
            await page.GetByTestId("header-cart").ClickAsync();
            await Expect(page.GetByTestId("cart-panel").GetByTestId("cart-line")).ToHaveCountAsync(2);
        }, ScreenOnly: true),
        ["checkout"] = new(async page =>
        {
            await WithTwoItemsInTheCartAsync(page);
            await page.GotoAsync("/checkout");
            await Expect(page.GetByTestId("checkout-pay")).ToBeEnabledAsync();
        }),
        ["signin"] = new(async page =>
        {
            await page.GotoAsync("/signin");
            await Expect(page.GetByTestId("signin-submit")).ToBeEnabledAsync();
        }),
        ["register"] = new(async page =>
        {
            await page.GotoAsync("/register");
            await Expect(page.GetByTestId("register-submit")).ToBeEnabledAsync();
        }),
        ["not-found"] = new(async page =>
        {
            var response = await page.GotoAsync("/templates/no-such-template");
            Assert.Equal(404, response!.Status);
            await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        }),
    };

    public static TheoryData<string, string, ColorScheme> EveryPageInEveryLook
    {
        get
        {
            var cases = new TheoryData<string, string, ColorScheme>();
            foreach (var page in Pages.Keys)
                foreach (var look in Screen.EveryLook)
                    cases.Add(page, (string)look[0], (ColorScheme)look[1]);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(EveryPageInEveryLook))]
    public async Task Page_has_no_serious_accessibility_violations_nor_browser_errors_and_is_captured(string name, string screen, ColorScheme scheme)
    {
        await using var visit = await browser.VisitAsync(store, Screen.Named(screen), scheme);

        var shown = Pages[name];
        await shown.Open(visit.Page);

        await Accessibility.AssertNoSeriousViolationsAsync(visit.Page);
        if (shown.ScreenOnly) await Screenshots.CaptureScreenAsync(visit.Page, name);
        else await Screenshots.CaptureAsync(visit.Page, name);
        visit.ConsoleErrors.AssertNone();
    }

    private sealed record Shown(Func<IPage, Task> Open, bool ScreenOnly = false);

    private static async Task WithTwoItemsInTheCartAsync(IPage page)
    {
        await page.GotoAsync("/signin");
        await StoreApi.AddToCartAsync(page, FirstProduct);
        await StoreApi.AddToCartAsync(page, SecondProduct);
    }
}
