using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
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
}

/// <summary>
/// Counts failed sign-ins per account (normalized e-mail) and per client IP address in a sliding
/// window; once either has <see cref="SignInThrottleOptions.MaxFailures"/> failures in the window,
/// further attempts are refused until the oldest failure ages out. A success clears the account's
/// count only, never the address's: an attacker who owns one account cannot reset the counter
/// while guessing others from the same address.
/// </summary>
/// <remarks>
/// In memory, per node: with several nodes an attacker gets MaxFailures per node. Good enough for
/// one node; a shared store (a grain per key, or a PostgreSQL table) is the step when scaling out.
/// </remarks>
internal sealed class SignInThrottle(IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<string, FailureWindow> failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before trying again; null when an attempt is allowed now.</summary>
    public TimeSpan? RetryAfter(string normalizedEmail, string clientAddress)
    {
        var now = time.GetUtcNow();
        var account = WaitFor(AccountKey(normalizedEmail), now);
        var address = WaitFor(AddressKey(clientAddress), now);
        return (account, address) switch
        {
            (null, null) => null,
            ({ } a, null) => a,
            (null, { } b) => b,
            ({ } a, { } b) => a > b ? a : b,
        };
    }

    public void RecordFailure(string normalizedEmail, string clientAddress)
    {
        var now = time.GetUtcNow();
        if (failures.Count > SweepAbove) Sweep(now);
        failures.GetOrAdd(AccountKey(normalizedEmail), _ => new FailureWindow()).Add(now, options.Value.Window);
        failures.GetOrAdd(AddressKey(clientAddress), _ => new FailureWindow()).Add(now, options.Value.Window);
    }

    public void RecordSuccess(string normalizedEmail) => failures.TryRemove(AccountKey(normalizedEmail), out _);

    private TimeSpan? WaitFor(string key, DateTimeOffset now)
    {
        if (!failures.TryGetValue(key, out var window)) return null;
        var opts = options.Value;
        return window.WaitNeeded(now, opts.Window, opts.MaxFailures);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in failures)
            if (window.IsEmpty(now, options.Value.Window)) failures.TryRemove(key, out _);
    }

    private static string AccountKey(string normalizedEmail) => "account:" + normalizedEmail;

    private static string AddressKey(string clientAddress) => "address:" + clientAddress;

    private sealed class FailureWindow
    {
        private readonly Queue<DateTimeOffset> at = new();

        public void Add(DateTimeOffset now, TimeSpan window)
        {
            lock (at)
            {
                Prune(now, window);
                at.Enqueue(now);
            }
        }

        public TimeSpan? WaitNeeded(DateTimeOffset now, TimeSpan window, int maxFailures)
        {
            lock (at)
            {
                Prune(now, window);
                if (at.Count < maxFailures) return null;
                // Allowed again once enough of the oldest failures have left the window.
                var freeing = at.ElementAt(at.Count - maxFailures);
                return freeing + window - now;
            }
        }

        public bool IsEmpty(DateTimeOffset now, TimeSpan window)
        {
            lock (at)
            {
                Prune(now, window);
                return at.Count == 0;
            }
        }

        private void Prune(DateTimeOffset now, TimeSpan window)
        {
            while (at.Count > 0 && at.Peek() <= now - window) at.Dequeue();
        }
    }
}
