using Courier.Abstractions.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Identity;

namespace Courier.WebFront.Accounts;

/// <summary>
/// Checks the signed-in person's password before a change that asks for it (a new password,
/// deleting the account). Wrong guesses count as failed sign-ins (<see cref="SignInThrottle"/>), so
/// a session cookie in the wrong hands does not buy unlimited guesses at the password.
/// </summary>
internal sealed class PasswordConfirmation(AccountPasswords passwords, SignInThrottle throttle)
{
    /// <summary>The account's credentials when <paramref name="password"/> is its password; otherwise why not.</summary>
    public async Task<PasswordConfirmed> CheckAsync(HttpContext http, IAccountGrain account, string password)
    {
        var email = http.AccountEmail()!;
        var address = AccountSessions.ClientAddress(http) ?? "unknown";
        if (await throttle.RetryAfterAsync(email, address) is { } wait) return new(null, wait);
        var credentials = await account.GetCredentialsAsync();
        if (credentials is not null && passwords.Verify(credentials.PasswordHash, password) != PasswordVerificationResult.Failed)
            return new(credentials, null);
        await throttle.RecordFailureAsync(email, address);
        return new(null, null);
    }
}

/// <param name="Credentials">Set when the password was right.</param>
/// <param name="RetryAfter">Set when too many wrong guesses came first: nothing was checked.</param>
internal readonly record struct PasswordConfirmed(AccountCredentials? Credentials, TimeSpan? RetryAfter);
