namespace Courier.TestSupport;

/// <summary>A clock that moves only when the test says so (stands in for Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
