using System.ComponentModel.DataAnnotations;
using Courier.Abstractions.Accounts;

namespace Courier.WebFront.Accounts;

/// <summary>
/// Configuration section "Courier:Sessions": how long a session lasts. A session ends when it has
/// not been used for its idle timeout, and in any case when its lifetime is reached. Staff
/// (admins, technicians) get shorter ones than customers and affiliates.
/// </summary>
public sealed class SessionLifetimeOptions
{
    public const string Section = "Courier:Sessions";

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan CustomerIdleTimeout { get; set; } = TimeSpan.FromDays(14);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan CustomerLifetime { get; set; } = TimeSpan.FromDays(30);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan StaffIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan StaffLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Why <paramref name="session"/> of an account with <paramref name="roles"/> has ended by <paramref name="now"/>; null while it is open.</summary>
    public string? EndingOf(AccountSession session, IReadOnlyList<string> roles, DateTimeOffset now)
    {
        var staff = roles.Any(Roles.IsStaff);
        if (now >= session.StartedAt + (staff ? StaffLifetime : CustomerLifetime)) return SessionEndings.LifetimeReached;
        if (now >= session.LastSeenAt + (staff ? StaffIdleTimeout : CustomerIdleTimeout)) return SessionEndings.IdleTooLong;
        return null;
    }
}
