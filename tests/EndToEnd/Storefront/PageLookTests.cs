using System.Text.RegularExpressions;
using Courier.EndToEnd.Tests.Browsing;
using Courier.EndToEnd.Tests.Checkout;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Storefront;

/// <summary>
/// Every storefront page as a shopper opens it, on a desktop and a phone, in light and dark: axe-core
/// finds no serious or critical violation, the browser logs no error, and the page is captured for
/// <c>docs/screenshots/</c>. (The payment and return pages are covered by the checkout tests.)
/// The account pages are here too: they are the storefront's, for a customer who bought something.
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
        ["landing"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("featured-products").GetByTestId("product-card").First).ToBeVisibleAsync();
        }),
        ["catalog"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/templates");
            await Expect(page.GetByTestId("catalog-count")).ToHaveTextAsync("13 products");
        }),
        ["product"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/templates/aurora-saas");
            await Expect(page.GetByTestId("add-to-cart")).ToBeEnabledAsync();
        }),
        ["floating-cart"] = new(async visit =>
        {
            var page = visit.Page;
            await WithTwoItemsInTheCartAsync(visit);
            await page.GotoAsync("/templates");
            await Expect(page.GetByTestId("catalog-count")).ToHaveTextAsync("13 products");
            await Expect(page.GetByTestId("floating-cart-count")).ToHaveTextAsync("2 items");
            await Expect(page.GetByTestId("floating-cart")).ToBeInViewportAsync();
        }, ScreenOnly: true),
        ["cart-panel"] = new(async visit =>
        {
            var page = visit.Page;
            await WithTwoItemsInTheCartAsync(visit);
            await page.GotoAsync("/templates/folio-portfolio");
            await page.GetByTestId("header-cart").ClickAsync();
            await Expect(page.GetByTestId("cart-panel").GetByTestId("cart-line")).ToHaveCountAsync(2);
        }, ScreenOnly: true),
        ["checkout"] = new(async visit =>
        {
            var page = visit.Page;
            await WithTwoItemsInTheCartAsync(visit);
            await page.GotoAsync("/checkout");
            await Expect(page.GetByTestId("checkout-pay")).ToBeEnabledAsync();
        }),
        ["signin"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/signin");
            await Expect(page.GetByTestId("signin-submit")).ToBeEnabledAsync();
        }),
        ["register"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/register");
            await Expect(page.GetByTestId("register-submit")).ToBeEnabledAsync();
        }),
        ["forgot-password"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/forgot-password");
            await Expect(page.GetByTestId("forgot-submit")).ToBeEnabledAsync();
        }),
        ["reset-password"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/reset-password?token=from-the-e-mail");
            await Expect(page.GetByTestId("reset-submit")).ToBeEnabledAsync();
        }),
        ["security"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/signin");
            var email = $"ada.s{visit.Screen.Name[0]}{visit.Scheme.ToString().ToLowerInvariant()[0]}@example.com";
            await StoreApi.RegisterAsync(page, email);
            await using (var phone = await visit.Context.Browser!.NewContextAsync(new() { UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1" }))
            {
                var other = await phone.NewPageAsync();
                await other.GotoAsync(new Uri(visit.Store.Address, "/signin").ToString());
                await StoreApi.PostAsync(other, "/api/auth/login", new { email, password = "a long and memorable passphrase" });
            }
            await page.GotoAsync("/account/security");
            await Expect(page.GetByTestId("device")).ToHaveCountAsync(2);
        }),
        ["profile"] = new(async visit =>
        {
            var page = visit.Page;
            await page.GotoAsync("/signin");
            await StoreApi.RegisterAsync(page, $"ada.p{visit.Screen.Name[0]}{visit.Scheme.ToString().ToLowerInvariant()[0]}@example.com");
            await page.GotoAsync("/account/profile");
            await Expect(page.GetByTestId("profile-export")).ToHaveAttributeAsync("href", "/api/me/export");
        }),
        ["account"] = new(async visit =>
        {
            var page = visit.Page;
            await WithADeliveredOrderAsync(visit, "account");
            await page.GotoAsync("/account");
            await Expect(page.GetByTestId("recent-orders").GetByTestId("order-row")).ToHaveCountAsync(1);
        }),
        ["order"] = new(async visit =>
        {
            var page = visit.Page;
            var orderId = await WithADeliveredOrderAsync(visit, "order");
            await page.GotoAsync($"/account/orders/{orderId}");
            await Expect(page.GetByTestId("download-button")).ToHaveAttributeAsync("href", new Regex("^/d/"));
            // Connected, and the re-read that follows every connect has landed.
            await Expect(page.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "live");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }),
        ["not-found"] = new(async visit =>
        {
            var page = visit.Page;
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
        await shown.Open(visit);

        await Accessibility.AssertNoSeriousViolationsAsync(visit.Page);
        if (shown.ScreenOnly) await Screenshots.CaptureScreenAsync(visit.Page, name);
        else await Screenshots.CaptureAsync(visit.Page, name);
        visit.ConsoleErrors.AssertNone();
    }

    private sealed record Shown(Func<Visit, Task> Open, bool ScreenOnly = false);

    /// <summary>
    /// Registers a customer of its own for this page and look (the pages show the account's e-mail)
    /// who bought the first product; returns the order once its delivery is ready.
    /// </summary>
    private static async Task<string> WithADeliveredOrderAsync(Visit visit, string pageName)
    {
        var page = visit.Page;
        await page.GotoAsync("/signin");
        await StoreApi.RegisterAsync(page, $"ada.{pageName[0]}{visit.Screen.Name[0]}{visit.Scheme.ToString().ToLowerInvariant()[0]}@example.com");
        await StoreApi.AddToCartAsync(page, FirstProduct);
        var checkout = await StoreApi.CheckoutAsync(page);
        await PaymentPage.PayAsync(page, checkout.RedirectUrl);
        await new OrderReturnPage(visit).ExpectPaidAndReadyAsync(lines: 1);
        return checkout.OrderId;
    }

    private static async Task WithTwoItemsInTheCartAsync(Visit visit)
    {
        await visit.Page.GotoAsync("/signin");
        await StoreApi.AddToCartAsync(visit.Page, FirstProduct);
        await StoreApi.AddToCartAsync(visit.Page, SecondProduct);
    }
}
