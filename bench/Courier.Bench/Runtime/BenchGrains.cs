using System.Collections.Concurrent;
using Courier.Abstractions.Runtime;
using Courier.Grains;
using Courier.Silo.Outbox;
using Orleans.Concurrency;

namespace Courier.Bench.Runtime;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    /// <summary>One state update and one outbox message: the shape of most of Courier's calls.</summary>
    Task<int> IncrementAndSendAsync();

    [ReadOnly]
    Task<int> GetAsync();
}

public sealed class CounterState
{
    public int Count { get; set; }
}

[Orleans.GrainType("bench.counter")]
public sealed class CounterGrain([GrainContext] IGrainContext<CounterState> grain) : Grain, ICounterGrain
{
    public Task<int> IncrementAsync() => Task.FromResult(++grain.State.Count);

    public Task<int> IncrementAndSendAsync()
    {
        grain.State.Count++;
        grain.Send(new Counted(grain.Key, grain.State.Count));
        return Task.FromResult(grain.State.Count);
    }

    public Task<int> GetAsync() => Task.FromResult(grain.State.Count);
}

[Orleans.Alias("bench.counted")]
public sealed record Counted(string Key, int Count) : IOutboxMessage;

/// <summary>Takes the counter's messages and does nothing with them: the bench measures the commit, not an outside system.</summary>
public sealed class CountedHandler : IOutboxHandler<Counted>
{
    public Task HandleAsync(Counted message, OutboxDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;
}

public interface IAlarmGrain : IGrainWithStringKey
{
    Task ArmAsync(DateTimeOffset due);
}

public sealed class AlarmState
{
    public DateTimeOffset? ArmedFor { get; set; }
    public int Rang { get; set; }
}

/// <summary>Rings once per reminder tick and writes down how late the tick reached it.</summary>
[Orleans.GrainType("bench.alarm")]
public sealed class AlarmGrain([GrainContext] IGrainContext<AlarmState> grain, AlarmLog log, TimeProvider clock) : Grain, IAlarmGrain, IRemindable
{
    public const string Reminder = "ring";

    public Task ArmAsync(DateTimeOffset due)
    {
        grain.State.ArmedFor = due;
        grain.Remind(Reminder, due);
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string name, TickStatus status)
    {
        log.Rang(grain.Key, grain.State.ArmedFor!.Value, new DateTimeOffset(status.CurrentTickTime, TimeSpan.Zero), clock.GetUtcNow());
        grain.State.Rang++;
        return Task.CompletedTask;
    }
}

/// <summary>Every tick the alarms received: how many times per grain, and how late.</summary>
public sealed class AlarmLog
{
    private readonly ConcurrentDictionary<string, int> rings = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(double FiredLateMs, double ReceivedLateMs)> lateness = new();
    private int total;

    public int Total => Volatile.Read(ref total);
    public int DistinctGrains => rings.Count;
    public int Duplicates => rings.Values.Sum(n => n - 1);
    public IEnumerable<double> FiredLateMs => lateness.Select(l => l.FiredLateMs);
    public IEnumerable<double> ReceivedLateMs => lateness.Select(l => l.ReceivedLateMs);

    /// <param name="firedAt">When Orleans' reminder service fired the tick.</param>
    public void Rang(string key, DateTimeOffset dueAt, DateTimeOffset firedAt, DateTimeOffset receivedAt)
    {
        rings.AddOrUpdate(key, 1, static (_, n) => n + 1);
        lateness.Enqueue(((firedAt - dueAt).TotalMilliseconds, (receivedAt - dueAt).TotalMilliseconds));
        Interlocked.Increment(ref total);
    }
}

public interface IIdleGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task TouchAsync();
}

public sealed class IdleState
{
    public int Value { get; set; }
}

[Orleans.GrainType("bench.idle")]
public sealed class IdleGrain([GrainContext] IGrainContext<IdleState> grain) : Grain, IIdleGrain
{
    public Task TouchAsync()
    {
        _ = grain.State.Value;
        return Task.CompletedTask;
    }
}
