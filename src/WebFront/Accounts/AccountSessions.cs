using System.Security.Claims;
using System.Security.Cryptography;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Accounts;

/// <summary>
/// Sessions that end on the server: the session cookie names a session the account grain keeps
/// (<see cref="IAccountGrain.StartSessionAsync"/>), and every request checks it there, so a
/// sign-out, "sign out everywhere else" or a password change ends a session at once on every
/// node, even for a copy of the cookie. Also issues the long-lived device cookie by which a
/// sign-in from a new device is noticed, and runs the <see cref="ISignInHook"/>s.
/// </summary>
internal sealed partial class AccountSessions(IEnumerable<ISignInHook> hooks, XsrfProtection xsrf, IGrainFactory grains, ILogger<AccountSessions> log)
{
    public const string CookieName = "Courier.Session";
    public const string DeviceCookieName = "Courier.Device";
    public const string SessionClaim = "courier:session";

    /// <summary>How stale "last seen" may get before a request records it (one write a minute at most per session).</summary>
    internal static readonly TimeSpan SeenGranularity = TimeSpan.FromMinutes(1);

    public async Task<SessionStarted> SignInAsync(HttpContext context, AccountView account, bool byRegistration = false)
    {
        var sessionId = $"ses_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        var started = await grains.GetGrain<IAccountGrain>(account.Email).StartSessionAsync(new SessionStart(
            sessionId, DeviceHash(context), UserAgentDevice.Describe(context.Request.Headers.UserAgent), ClientAddress(context), byRegistration));
        var principal = Principal(started.Account, sessionId);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { IsPersistent = true, AllowRefresh = true });
        context.User = principal;
        xsrf.Issue(context);
        foreach (var hook in hooks)
        {
            try
            {
                await hook.OnSignedInAsync(context, account.Id);
            }
            catch (Exception ex)
            {
                LogHookFailed(ex, hook.GetType().Name, account.Id);
            }
        }
        return started;
    }

    public async Task SignOutAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(SessionClaim) is { } sessionId && context.User.FindFirstValue(ClaimTypes.Email) is { } email)
            await grains.GetGrain<IAccountGrain>(email).EndSessionAsync(sessionId, SessionEndings.SignedOut);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        context.User = new ClaimsPrincipal(new ClaimsIdentity());
        xsrf.Issue(context);
    }

    /// <summary>
    /// Checks each request's session against its account (a read-only call on an active grain, in
    /// memory): a session that ended, expired, or whose account is gone is refused; changed roles or
    /// name take effect at once.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var services = context.HttpContext.RequestServices;
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var email = principal?.FindFirstValue(ClaimTypes.Email);
        var sessionId = principal?.FindFirstValue(SessionClaim);
        if (id is null || email is null || sessionId is null)
        {
            await RejectAsync(context);
            return;
        }
        var account = services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(email);
        var check = await account.CheckSessionAsync(sessionId);
        if (check is null || check.Account.Id != id)
        {
            await RejectAsync(context);
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (services.GetRequiredService<IOptions<SessionLifetimeOptions>>().Value.EndingOf(check.Session, check.Account.Roles, now) is { } ending)
        {
            await account.EndSessionAsync(sessionId, ending);
            await RejectAsync(context);
            return;
        }
        if (now - check.Session.LastSeenAt >= SeenGranularity)
            await account.SessionSeenAsync(sessionId, ClientAddress(context.HttpContext));

        var roles = principal!.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal);
        if (!roles.SequenceEqual(check.Account.Roles.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            || principal.FindFirstValue(ClaimTypes.Name) != check.Account.DisplayName)
        {
            context.ReplacePrincipal(Principal(check.Account, sessionId));
            context.ShouldRenew = true;
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public static ClaimsPrincipal Principal(AccountView account, string sessionId)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, account.Id),
            new(ClaimTypes.Email, account.Email),
            new(ClaimTypes.Name, account.DisplayName),
            new(SessionClaim, sessionId),
            .. account.Roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    /// <summary>
    /// The hash of this browser's device cookie, issuing the cookie on its first sign-in. The cookie
    /// is random and says nothing about the person; only its hash is stored with the account.
    /// </summary>
    private static string DeviceHash(HttpContext context)
    {
        var device = context.Request.Cookies[DeviceCookieName];
        if (device is not { Length: 32 } || !device.All(char.IsAsciiHexDigitLower))
        {
            device = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Response.Cookies.Append(DeviceCookieName, device, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(400),
                IsEssential = true,
            });
        }
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(device)))[..32];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sign-in hook {Hook} failed for account {AccountId}; the sign-in stands")]
    private partial void LogHookFailed(Exception exception, string hook, string accountId);
}
