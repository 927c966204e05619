namespace Courier.Abstractions.Runtime;

/// <summary>Implemented by grains that register durable reminders.</summary>
public interface IRemindable
{
    /// <summary>
    /// A due reminder. Runs as an ordinary grain call: its state changes, journal, outbox and
    /// reminder changes commit in one transaction together with the tick's completion, so a
    /// committed tick never runs again. A tick that throws is retried with backoff
    /// (<see cref="ReminderTick.Attempt"/> counts the tries).
    /// </summary>
    Task ReceiveReminder(string name, ReminderTick tick);
}

/// <param name="DueAt">When the tick was due.</param>
/// <param name="FiredAt">When it started to run (runtime clock).</param>
/// <param name="Attempt">1 for the first try; higher after earlier tries threw.</param>
/// <param name="Period">Set for periodic reminders.</param>
public sealed record ReminderTick(DateTimeOffset DueAt, DateTimeOffset FiredAt, int Attempt, TimeSpan? Period);
