using System.ComponentModel.DataAnnotations;
using Courier.Silo.Accounts;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Accounts;

/// <summary>Configuration section "Courier:SignInThrottle".</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Courier:SignInThrottle";

    /// <summary>Failed sign-ins allowed per account and per client address within <see cref="Window"/>.</summary>
    [Range(1, 10_000)]
    public int MaxFailures { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Accounts one client address may register within <see cref="AddressWindow"/> (slows down probing which addresses are taken).</summary>
    [Range(1, 10_000)]
    public int MaxRegistrationsPerAddress { get; set; } = 10;

    /// <summary>Password-reset e-mails one client address may ask for within <see cref="AddressWindow"/>.</summary>
    [Range(1, 10_000)]
    public int MaxResetRequestsPerAddress { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Counts failed sign-ins per account (normalized e-mail) and per client address in a sliding
/// window; once either has <see cref="SignInThrottleOptions.MaxFailures"/> failures in the window,
/// further attempts are refused until the oldest of them ages out. A success clears the account's
/// count only, never the address's: an attacker who owns one account cannot reset the counter
/// while guessing others from the same address. Registrations and reset requests are limited per
/// address the same way. The counts live in PostgreSQL (<see cref="SignInActivity"/>), so they hold
/// across every node of a cluster.
/// </summary>
/// <param name="failedKind">The <see cref="SignInActivityKinds"/> of a failure at this door (the store's, or the hosted sites').</param>
internal sealed class SignInThrottle(SignInActivity activity, IOptions<SignInThrottleOptions> options, TimeProvider time,
    string failedKind = SignInActivityKinds.Failed, string succeededKind = SignInActivityKinds.Succeeded)
{
    /// <summary>How long the caller must wait before trying to sign in again; null when an attempt is allowed now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string normalizedEmail, string clientAddress)
    {
        var opts = options.Value;
        var (account, address) = await activity.RecentFailuresAsync(failedKind, succeededKind, normalizedEmail, clientAddress, opts.Window, opts.MaxFailures);
        return Longest(WaitFor(account, opts.MaxFailures, opts.Window), WaitFor(address, opts.MaxFailures, opts.Window));
    }

    public Task RecordFailureAsync(string normalizedEmail, string clientAddress) =>
        activity.RecordAsync(failedKind, normalizedEmail, clientAddress);

    public Task RecordSuccessAsync(string normalizedEmail, string clientAddress) =>
        activity.RecordAsync(succeededKind, normalizedEmail, clientAddress);

    /// <summary>How long the address must wait before registering again; null when it may now.</summary>
    public async Task<TimeSpan?> RegistrationRetryAfterAsync(string clientAddress)
    {
        var opts = options.Value;
        return WaitFor(await activity.RecentFromAddressAsync(SignInActivityKinds.Registered, clientAddress, opts.AddressWindow, opts.MaxRegistrationsPerAddress),
            opts.MaxRegistrationsPerAddress, opts.AddressWindow);
    }

    /// <summary>How long the address must wait before asking for another reset e-mail; null when it may now.</summary>
    public async Task<TimeSpan?> ResetRequestRetryAfterAsync(string clientAddress)
    {
        var opts = options.Value;
        return WaitFor(await activity.RecentFromAddressAsync(SignInActivityKinds.ResetRequested, clientAddress, opts.AddressWindow, opts.MaxResetRequestsPerAddress),
            opts.MaxResetRequestsPerAddress, opts.AddressWindow);
    }

    /// <summary>Allowed again once the oldest of the newest <paramref name="max"/> events leaves the window.</summary>
    private TimeSpan? WaitFor(IReadOnlyList<DateTimeOffset> newestFirst, int max, TimeSpan window) =>
        newestFirst.Count < max ? null : newestFirst[max - 1] + window - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : null;

    private static TimeSpan? Longest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
