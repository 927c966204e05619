using System.Globalization;
using System.Net;
using Courier.Silo.SiteAccess;
using Courier.WebFront.Accounts;
using Courier.WebFront.Hosting;
using Courier.WebFront.Pages;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Sites;

/// <summary>
/// The built-in site host's pages: /sites/{site}/ serves the purchased site to whoever signed in
/// with its current credentials. The session is a cookie scoped to the site's path that names the
/// credentials version it was made with, so a rotation or a revoke ends it on the next request.
/// The sign-in form carries its own token (like the payment page) instead of the API's
/// X-XSRF-TOKEN header, and failed sign-ins are throttled per site and per address.
/// </summary>
internal static class HostedSitePages
{
    public const string SessionCookie = "Courier.Site";
    public const string ThrottleKey = "hosted-sites";
    private static readonly TimeSpan FormLifetime = TimeSpan.FromHours(1);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IServiceCollection AddHostedSitePages(this IServiceCollection services)
    {
        // The accounts' throttle settings, with counters of its own: failed site sign-ins do not lock anyone out of the store.
        services.AddKeyedSingleton(ThrottleKey, (sp, _) => new SignInThrottle(sp.GetRequiredService<Courier.Silo.Accounts.SignInActivity>(), sp.GetRequiredService<IOptions<SignInThrottleOptions>>(),
            sp.GetRequiredService<TimeProvider>(), Courier.Silo.Accounts.SignInActivityKinds.SiteFailed, Courier.Silo.Accounts.SignInActivityKinds.SiteSucceeded));
        return services;
    }

    public static IEndpointRouteBuilder MapHostedSitePages(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/sites/{siteId}").ExcludeFromDescription().AllowAnonymous();
        sites.MapGet("/sign-in", ShowSignInAsync);
        sites.MapPost("/sign-in", SignInAsync).DisableAntiforgery();
        sites.MapPost("/sign-out", SignOut).DisableAntiforgery();
        sites.MapGet("/{**path}", ServeAsync).WithMetadata(ContentSecurityPolicy.HostedSite);
        return app;
    }

    private static async Task<IResult> ShowSignInAsync(string siteId, HttpContext http, HostedSites hostedSites, IDataProtectionProvider protection)
    {
        var site = await hostedSites.FindAsync(siteId, http.RequestAborted);
        if (site is null) return NotFound();
        if (site.IsRevoked) return Gone();
        return SignInPage(http, site.SiteId, FormToken(protection, site.SiteId), error: null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignInAsync(
        string siteId, HttpContext http, HostedSites hostedSites, IDataProtectionProvider protection,
        [FromKeyedServices(ThrottleKey)] SignInThrottle throttle, IOptions<SiteAccessOptions> options)
    {
        var site = await hostedSites.FindAsync(siteId, http.RequestAborted);
        if (site is null) return NotFound();
        if (site.IsRevoked) return Gone();
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var token = FormToken(protection, site.SiteId);
        if (!IsValidFormToken(protection, form["token"], site.SiteId))
            return SignInPage(http, site.SiteId, token, "This sign-in form had expired. Enter your details again.", StatusCodes.Status400BadRequest);

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.RetryAfterAsync(site.SiteId, address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return SignInPage(http, site.SiteId, token,
                $"Too many failed sign-ins. For your site's safety, try again in {(seconds < 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes")}.",
                StatusCodes.Status429TooManyRequests);
        }
        if (!hostedSites.SignInMatches(site, form["username"].ToString(), form["password"].ToString()))
        {
            await throttle.RecordFailureAsync(site.SiteId, address);
            return SignInPage(http, site.SiteId, token,
                "That e-mail and password do not match this site. Your current sign-in details are on your order page.", StatusCodes.Status401Unauthorized);
        }
        await throttle.RecordSuccessAsync(site.SiteId, address);
        var lifetime = options.Value.Builtin.SessionLifetime;
        http.Response.Cookies.Append(SessionCookie, SessionProtector(protection).Protect(Session(site), lifetime), SessionCookieOptions(http, site.SiteId));
        return Results.Redirect($"/sites/{site.SiteId}/", permanent: false, preserveMethod: false);
    }

    private static IResult SignOut(string siteId, HttpContext http)
    {
        if (!HostedSites.IsWellFormedId(siteId)) return NotFound();
        http.Response.Cookies.Delete(SessionCookie, SessionCookieOptions(http, siteId));
        return Results.Redirect($"/sites/{siteId}/sign-in", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> ServeAsync(string siteId, string? path, HttpContext http, HostedSites hostedSites, IDataProtectionProvider protection)
    {
        var site = await hostedSites.FindAsync(siteId, http.RequestAborted);
        if (site is null) return NotFound();
        if (site.IsRevoked) return Gone();
        // Without the slash the site's relative links (styles.css) would resolve outside it.
        if (string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/')) return Results.Redirect($"/sites/{site.SiteId}/");
        if (!HasSession(http, protection, site)) return Results.Redirect($"/sites/{site.SiteId}/sign-in");

        var file = await hostedSites.FileAsync(site, path ?? "", http.RequestAborted);
        if (file is null) return Page("Page not found", "<h1>Page not found</h1><p class=\"muted\">This site has no such page.</p>", StatusCodes.Status404NotFound);
        http.Response.Headers.CacheControl = "private, no-cache";
        return Results.Bytes(file.Content, ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream");
    }

    private static bool HasSession(HttpContext http, IDataProtectionProvider protection, HostedSite site)
    {
        if (!http.Request.Cookies.TryGetValue(SessionCookie, out var cookie) || cookie.Length == 0) return false;
        try
        {
            return SessionProtector(protection).Unprotect(cookie) == Session(site);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // expired, tampered with, or made with a key that is gone
        }
    }

    /// <summary>The session names the site and its credentials version: any rotation or revoke makes it stale.</summary>
    private static string Session(HostedSite site) => $"{site.SiteId}|{site.CredentialsVersion.ToString(CultureInfo.InvariantCulture)}";

    private static ITimeLimitedDataProtector SessionProtector(IDataProtectionProvider protection) =>
        protection.CreateProtector("Courier.HostedSite.Session").ToTimeLimitedDataProtector();

    private static CookieOptions SessionCookieOptions(HttpContext http, string siteId) => new()
    {
        Path = $"/sites/{siteId}",
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        IsEssential = true,
    };

    private static string FormToken(IDataProtectionProvider protection, string siteId) =>
        protection.CreateProtector("Courier.HostedSite.SignInForm").ToTimeLimitedDataProtector().Protect(siteId, FormLifetime);

    private static bool IsValidFormToken(IDataProtectionProvider protection, string? token, string siteId)
    {
        try
        {
            return token is { Length: > 0 } && protection.CreateProtector("Courier.HostedSite.SignInForm").ToTimeLimitedDataProtector().Unprotect(token) == siteId;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static IResult SignInPage(HttpContext http, string siteId, string token, string? error, int status)
    {
        http.Response.Headers.CacheControl = "no-store";
        var body = $"""
            <div class="pay signin">
              <section class="form" aria-labelledby="signin-title">
                <p class="brand">Courier <span class="pill">Hosted site</span></p>
                <h1 id="signin-title">Sign in to your site</h1>
                <p class="lede"><code>/sites/{E(siteId)}</code></p>
                {(error is null ? "" : $"<p class=\"notice error\" role=\"alert\">{E(error)}</p>")}
                <form method="post" action="/sites/{E(siteId)}/sign-in">
                  <input type="hidden" name="token" value="{E(token)}">
                  <label for="username">E-mail</label>
                  <input id="username" name="username" type="email" autocomplete="username" required autofocus>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Sign in</button>
                </form>
                <p class="fineprint">Your sign-in details are on your order page, next to this site. Lost them? Set a new password there; it works at once.</p>
              </section>
            </div>
            """;
        return Page("Sign in to your site", body, status);
    }

    private static IResult NotFound() => Page("Site not found",
        "<div class=\"pay signin\"><section class=\"form\"><h1>Site not found</h1><p class=\"muted\">There is no site at this address. Check the link on your order page.</p></section></div>",
        StatusCodes.Status404NotFound);

    private static IResult Gone() => Page("Site no longer available",
        "<div class=\"pay signin\"><section class=\"form\"><h1>This site is no longer available</h1><p class=\"muted\">Access to it ended, for example after a refund. Your order page shows what happened.</p></section></div>",
        StatusCodes.Status410Gone);

    private static IResult Page(string title, string body, int status) =>
        Results.Content(PageShell.Render(title, body), "text/html; charset=utf-8", statusCode: status);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
