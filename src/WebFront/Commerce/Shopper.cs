using System.Security.Claims;
using System.Security.Cryptography;

namespace Courier.WebFront.Commerce;

/// <summary>
/// Who is shopping: the signed-in account, or an anonymous visitor known by the Courier.Cart
/// cookie (issued on first visit). Their cart is "account:{id}" or "anon:{cookie}".
/// </summary>
internal static class Shopper
{
    public const string CartCookie = "Courier.Cart";

    public static string? AccountId(this HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public static string? AccountEmail(this HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.Email) : null;

    public static string CartId(this HttpContext context) =>
        context.AccountId() is { } account ? AccountCart(account) : AnonymousCart(context.AnonymousCartToken());

    public static string AccountCart(string accountId) => $"account:{accountId}";

    public static string AnonymousCart(string token) => $"anon:{token}";

    /// <summary>The anonymous cart token from the cookie, issuing a new cookie when there is none.</summary>
    public static string AnonymousCartToken(this HttpContext context)
    {
        if (context.Items.TryGetValue(CartCookie, out var issued) && issued is string fresh) return fresh;
        if (context.Request.Cookies.TryGetValue(CartCookie, out var token) && IsWellFormed(token)) return token;
        token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[CartCookie] = token;
        context.Response.Cookies.Append(CartCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(60),
            Path = "/",
        });
        return token;
    }

    /// <summary>An anonymous visitor whose cart cookie this request issued: their cart has never been stored.</summary>
    public static bool IsFirstVisit(this HttpContext context) =>
        context.AccountId() is null && context.Items.ContainsKey(CartCookie);

    private static bool IsWellFormed(string token) => token.Length == 32 && token.All(char.IsAsciiHexDigitLower);

    /// <summary>Issues the cart cookie to anonymous visitors on their first GET.</summary>
    public static IApplicationBuilder UseAnonymousCartCookie(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.AccountId() is null && !context.Request.Cookies.ContainsKey(CartCookie)
            && !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics")
            && !context.Request.Path.StartsWithSegments("/webhooks"))
            context.AnonymousCartToken();
        await next(context);
    });
}
