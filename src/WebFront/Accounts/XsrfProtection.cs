using Microsoft.AspNetCore.Antiforgery;

namespace Courier.WebFront.Accounts;

/// <summary>
/// Cross-site request forgery protection for the JSON API, with ASP.NET Core's antiforgery
/// (<see cref="IAntiforgery"/>, synchronizer tokens bound to the signed-in user):
/// <list type="bullet">
/// <item>every GET response sets, when missing, the HttpOnly cookie token (<c>Courier.Antiforgery</c>)
/// and the readable request token in the cookie <c>XSRF-TOKEN</c>;</item>
/// <item>every POST/PUT/PATCH/DELETE that carries any Courier cookie (a name starting with
/// "Courier." — session, cart, antiforgery — or XSRF-TOKEN) must echo XSRF-TOKEN in the
/// <c>X-XSRF-TOKEN</c> header, or gets a 400 problem; <c>/webhooks/*</c> is exempt (signed), and
/// so is the simulated provider's payment page <c>/pay/*</c>, which stands in for the provider's
/// own site and checks a form token of its own; the built-in hosted sites <c>/sites/*</c>, whose
/// sign-in form has its own token too; and the SignalR hub <c>/hubs/*</c>, whose negotiate
/// POST only opens a read-only connection and whose cookies are SameSite=Lax (not sent from
/// other sites' pages).</item>
/// </list>
/// Requests with no Courier cookie at all (scripts, server-to-server) need no token: without a
/// cookie there is no ambient authority to forge. A browser that has loaded any page has the
/// cookies, so its sign-in and registration are protected too (no login CSRF).
/// </summary>
internal sealed class XsrfProtection(IAntiforgery antiforgery) : IMiddleware
{
    public const string HeaderName = "X-XSRF-TOKEN";
    public const string RequestTokenCookie = "XSRF-TOKEN";
    public const string CookieTokenCookie = "Courier.Antiforgery";
    public const string CourierCookiePrefix = "Courier.";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            if (!request.Cookies.ContainsKey(RequestTokenCookie) || !request.Cookies.ContainsKey(CookieTokenCookie))
                Issue(context);
        }
        else if (!HttpMethods.IsOptions(request.Method) && !HttpMethods.IsTrace(request.Method)
                 && !request.Path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase)
                 && !request.Path.StartsWithSegments("/pay", StringComparison.OrdinalIgnoreCase)
                 && !request.Path.StartsWithSegments("/sites", StringComparison.OrdinalIgnoreCase)
                 && !request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
                 && CarriesCourierCookie(request)
                 && !await IsValidAsync(context))
        {
            Issue(context);
            await AccountProblems.InvalidAntiforgeryToken().ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Writes a request token for the current <see cref="HttpContext.User"/> into XSRF-TOKEN. Call
    /// it again whenever the user changes (sign-in, sign-out): tokens are bound to the user.
    /// </summary>
    public void Issue(HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        // Readable on purpose: the page's script copies it into the X-XSRF-TOKEN header. It is
        // worthless without the HttpOnly cookie token, which script cannot read.
#pragma warning disable SCS0009
        context.Response.Cookies.Append(RequestTokenCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
#pragma warning restore SCS0009
    }

    private async Task<bool> IsValidAsync(HttpContext context)
    {
        if (!context.Request.Headers.ContainsKey(HeaderName)) return false;
        return await antiforgery.IsRequestValidAsync(context);
    }

    private static bool CarriesCourierCookie(HttpRequest request) =>
        request.Cookies.Keys.Any(name =>
            name.StartsWith(CourierCookiePrefix, StringComparison.Ordinal) || name == RequestTokenCookie);
}
