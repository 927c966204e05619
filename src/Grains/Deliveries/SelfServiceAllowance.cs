namespace Courier.Grains.Deliveries;

/// <summary>
/// How often a customer may use each self-service action of one delivery: at most
/// <see cref="PerHour"/> uses in any sliding hour. Kept in the delivery's state, so the limit
/// holds across nodes and restarts.
/// </summary>
public sealed class SelfServiceAllowance
{
    public const int PerHour = 5;
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>When each action was used within the last hour (older uses are dropped).</summary>
    public Dictionary<string, List<DateTimeOffset>> Uses { get; set; } = [];

    /// <summary>When <paramref name="action"/> may be used again; null when it may be used now.</summary>
    public DateTimeOffset? BlockedUntil(string action, DateTimeOffset now)
    {
        var recent = Recent(action, now);
        return recent.Count < PerHour ? null : recent[^PerHour] + Window;
    }

    public int Remaining(string action, DateTimeOffset now) => Math.Max(0, PerHour - Recent(action, now).Count);

    public void Use(string action, DateTimeOffset now)
    {
        var recent = Recent(action, now);
        recent.Add(now);
        Uses[action] = recent;
    }

    private List<DateTimeOffset> Recent(string action, DateTimeOffset now) =>
        Uses.TryGetValue(action, out var uses) ? [.. uses.Where(at => at > now - Window).Order()] : [];
}
