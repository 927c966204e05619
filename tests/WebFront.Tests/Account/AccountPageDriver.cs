using System.Net;

namespace Courier.WebFront.Tests.Account;

/// <summary>Reads account pages as a browser does (Accept: text/html, the session's cookies, redirects not followed).</summary>
internal static class AccountPageDriver
{
    public static async Task<HttpResponseMessage> PageResponseAsync(this ApiSession session, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");
        return await session.Client.SendAsync(request);
    }

    /// <summary>The page's HTML; fails the test unless it answered 200.</summary>
    public static async Task<string> PageAsync(this ApiSession session, string path)
    {
        using var response = await session.PageResponseAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 400)]}");
        return html;
    }
}
