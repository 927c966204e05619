using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>How a page is being shown: on which screen and in which colour scheme.</summary>
internal sealed record PageLook(Screen Screen, string Scheme)
{
    public static async Task<PageLook> OfAsync(IPage page)
    {
        var viewport = page.ViewportSize ?? throw new InvalidOperationException("The page has no fixed viewport; open it through ChromiumBrowser.VisitAsync.");
        var dark = await page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches");
        return new PageLook(Screen.Of(viewport.Width), dark ? "dark" : "light");
    }

    public override string ToString() => $"{Screen}, {Scheme}";
}
