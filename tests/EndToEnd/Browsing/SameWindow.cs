using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Tells a live update from a reload: <see cref="MarkAsync"/> leaves a mark on the page's
/// <c>window</c>, and a reload or a navigation starts a new window without it.
/// </summary>
public static class SameWindow
{
    public static Task MarkAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync("() => { window.__courierSameWindow = true; }");
    }

    public static async Task AssertNotReloadedAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__courierSameWindow === true"),
            $"{page.Url} was reloaded or left; it must update in place as the order changes.");
    }
}
