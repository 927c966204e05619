using System.Security.Claims;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Courier.WebFront.Accounts;

/// <summary>Issues and ends the session cookie, and runs the <see cref="ISignInHook"/>s after a sign-in.</summary>
internal sealed partial class AccountSessions(IEnumerable<ISignInHook> hooks, XsrfProtection xsrf, ILogger<AccountSessions> log)
{
    public const string CookieName = "Courier.Session";

    public async Task SignInAsync(HttpContext context, AccountView account)
    {
        var principal = Principal(account);
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
    }

    public async Task SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        context.User = new ClaimsPrincipal(new ClaimsIdentity());
        xsrf.Issue(context);
    }

    /// <summary>
    /// Checks each session against the account on every request (a query on an active grain, in
    /// memory): a session of an account that no longer exists ends, and changed roles or name take
    /// effect at once instead of when the cookie expires.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var email = principal?.FindFirstValue(ClaimTypes.Email);
        var account = id is null || email is null
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(email).GetAsync();
        if (account is null || account.Id != id)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        var roles = principal!.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal);
        if (!roles.SequenceEqual(account.Roles.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            || principal.FindFirstValue(ClaimTypes.Name) != account.DisplayName)
        {
            context.ReplacePrincipal(Principal(account));
            context.ShouldRenew = true;
        }
    }

    public static ClaimsPrincipal Principal(AccountView account)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, account.Id),
            new(ClaimTypes.Email, account.Email),
            new(ClaimTypes.Name, account.DisplayName),
            .. account.Roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sign-in hook {Hook} failed for account {AccountId}; the sign-in stands")]
    private partial void LogHookFailed(Exception exception, string hook, string accountId);
}
