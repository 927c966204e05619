namespace Courier.TestSupport;

/// <summary>
/// A clock that stands still until a test moves it (stands in for
/// Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider). Register it as the silo's
/// <see cref="TimeProvider"/> to control what grains see as now (expiries, reminders coming due).
/// Timers still run on real time, so the runtime's polling loops keep going.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "A clock only moves forward.");
        Interlocked.Add(ref utcTicks, by.Ticks);
    }
}
