using System.Globalization;
using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Storefront;

/// <summary>
/// A storefront page does not jump when its web font and images arrive late (a slow phone
/// connection, a busy server): until the font comes the text is set in a local face sized like
/// Inter, and every image has its box before it loads. Measured as Chromium's layout-shift score
/// (CLS; "good" is 0.1 or less, we allow 0.01).
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class LayoutStabilityTests(ChromiumBrowser browser, StoreServer store)
{
    private const double MostShiftAllowed = 0.01;
    // Long enough that even a slow machine shows the page before they arrive: the test checks it does.
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("/", "desktop")]
    [InlineData("/", "phone")]
    [InlineData("/templates", "desktop")]
    [InlineData("/templates", "phone")]
    [InlineData("/templates/aurora-saas", "desktop")]
    [InlineData("/templates/aurora-saas", "phone")]
    public async Task A_page_whose_font_and_images_arrive_late_does_not_shift_when_they_come_in(string path, string screen)
    {
        await using var visit = await browser.VisitAsync(store, Screen.Named(screen));
        var page = visit.Page;
        foreach (var late in new[] { "**/fonts/*.woff2", "**/media/**" })
        {
            await page.RouteAsync(late, async route =>
            {
                await Task.Delay(Delay);
                await route.ContinueAsync();
            });
        }
        await page.AddInitScriptAsync("""
            window.__layoutShift = 0;
            new PerformanceObserver(list => {
              for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
            }).observe({ type: "layout-shift", buffered: true });
            """);

        // Not the load event: a preloaded font holds that back until it arrives.
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.False(await page.EvaluateAsync<bool>("() => document.fonts.check('16px \"Inter Variable\"')"), "The web font must still be on its way when the page first shows.");
        await page.WaitForFunctionAsync("() => document.fonts.check('16px \"Inter Variable\"') && [...document.images].every(image => image.complete || image.loading === 'lazy')", null, new() { Timeout = 15_000 });
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");

        var shift = await page.EvaluateAsync<double>("() => window.__layoutShift");
        Assert.True(shift <= MostShiftAllowed,
            $"{path} on a {screen} shifted by {shift.ToString("0.0000", CultureInfo.InvariantCulture)} as its font and images came in (at most {MostShiftAllowed} allowed).");
        visit.ConsoleErrors.AssertNone();
    }
}
