using System.Net;
using System.Text.RegularExpressions;

namespace Courier.WebFront.Tests;

/// <summary>Reads pages as a browser does (Accept: text/html, the session's cookies, redirects not followed).</summary>
internal static partial class PageDriver
{
    public static async Task<HttpResponseMessage> PageResponseAsync(this ApiSession session, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");
        return await session.Client.SendAsync(request);
    }

    /// <summary>The page's HTML; fails the test unless it answered 200 with HTML.</summary>
    public static async Task<string> PageAsync(this ApiSession session, string path)
    {
        using var response = await session.PageResponseAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 400)]}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return html;
    }

    /// <summary>Every icon the page uses (&lt;use href="…icons.svg…#name"&gt;) is a symbol of the served sprite, so none renders blank.</summary>
    public static async Task AssertIconsExistAsync(this ApiSession session, string html)
    {
        var sprite = await session.Client.GetStringAsync(new Uri("/icons.svg", UriKind.Relative));
        var symbols = SymbolId().Matches(sprite).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var used = IconUse().Matches(html).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, symbols));
    }

    [GeneratedRegex("<symbol id=\"([a-z0-9-]+)\"")]
    private static partial Regex SymbolId();

    [GeneratedRegex("<use href=\"[^\"#]*icons\\.svg[^\"#]*#([a-z0-9-]+)\"")]
    private static partial Regex IconUse();
}
