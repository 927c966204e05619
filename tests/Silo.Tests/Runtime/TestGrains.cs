using System.Collections.Concurrent;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Grains;
using Courier.Silo.Outbox;
using Orleans.Concurrency;

namespace Courier.Silo.Tests.Runtime;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();
    Task<int> TakeAsync();
    [ReadOnly] Task<int> GetAsync();
    Task<long> IncrementAndReportVersionAsync();
    Task IncrementThenFailAsync();
    Task IncrementAndJournalAsync(string note);
    Task IncrementAndSendAsync(string text);
    Task IncrementAndPublishAsync();
    Task RemindOnceAsync(string name, TimeSpan dueIn);
    Task CancelAsync(string name);
    Task FailFirstTicksAsync(int count);
    [ReadOnly] Task<CounterState> SnapshotAsync();
    Task<int> CallThroughAsync(string otherKey);
    Task<int> CallBackAsync(string originKey);
    Task<int> AddAllAsync(IReadOnlyList<int> values);
    [ReadOnly] Task<IReadOnlyList<int>> HistoryAsync();
}

public sealed class CounterState
{
    public int Count { get; set; }
    public int Ticks { get; set; }
    public int FailTicks { get; set; }
    public string Label { get; set; } = "unnamed";
    public List<string> Notes { get; set; } = [];
}

[Orleans.Alias("test.counter-noted")]
public sealed record CounterNoted(string Note, int Count) : IJournalEntry;

[Orleans.Alias("test.counter-message")]
public sealed record CounterMessage(string Text, string GrainKey) : IOutboxMessage;

public sealed record CounterChanged(string Key, int Count) : LiveEvent
{
    public override string Kind => "counterChanged";
    public override IReadOnlyList<string> Topics => [$"counter:{Key}"];
}

[Orleans.GrainType("test.counter")]
public sealed class CounterGrain([GrainContext] IGrainContext<CounterState> grain) : Grain, ICounterGrain, IRemindable
{
    /// <summary>Every activation of each key, by the silo it ran on: a cluster has one at a time.</summary>
    public static ConcurrentDictionary<string, ConcurrentBag<string>> Activations { get; } = new();

    /// <summary>How many times each key's reminder ticks ran, thrown ones included (a thrown tick keeps nothing in state).</summary>
    public static ConcurrentDictionary<string, int> TickAttempts { get; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activations.GetOrAdd(grain.Key, _ => []).Add(RuntimeIdentity);
        return Task.CompletedTask;
    }

    public Task<int> IncrementAsync() => Task.FromResult(++grain.State.Count);

    public Task<int> AddAllAsync(IReadOnlyList<int> values) => Task.FromResult(grain.State.Count += values.Sum());

    public Task<IReadOnlyList<int>> HistoryAsync() => Task.FromResult<IReadOnlyList<int>>([.. Enumerable.Range(1, grain.State.Count)]);

    public Task<int> TakeAsync() =>
        grain.State.Count == 0 ? throw new InvalidOperationException("Nothing to take.") : Task.FromResult(--grain.State.Count);

    public Task<int> GetAsync() => Task.FromResult(grain.State.Count);

    public Task<long> IncrementAndReportVersionAsync()
    {
        grain.State.Count++;
        return Task.FromResult(grain.Version);
    }

    public Task IncrementThenFailAsync()
    {
        grain.State.Count++;
        grain.Journal(new CounterNoted("doomed", grain.State.Count));
        grain.Send(new CounterMessage("doomed", grain.Key));
        grain.Publish(new CounterChanged(grain.Key, grain.State.Count));
        throw new InvalidOperationException("the call failed after changing state");
    }

    public Task IncrementAndJournalAsync(string note)
    {
        grain.State.Count++;
        grain.State.Notes.Add(note);
        grain.Journal(new CounterNoted(note, grain.State.Count));
        return Task.CompletedTask;
    }

    public Task IncrementAndSendAsync(string text)
    {
        grain.State.Count++;
        grain.Send(new CounterMessage(text, grain.Key));
        return Task.CompletedTask;
    }

    public Task IncrementAndPublishAsync()
    {
        grain.State.Count++;
        grain.Publish(new CounterChanged(grain.Key, grain.State.Count));
        return Task.CompletedTask;
    }

    public Task RemindOnceAsync(string name, TimeSpan dueIn)
    {
        grain.Remind(name, grain.Now + dueIn);
        return Task.CompletedTask;
    }

    public Task CancelAsync(string name)
    {
        grain.CancelReminder(name);
        return Task.CompletedTask;
    }

    public Task FailFirstTicksAsync(int count)
    {
        grain.State.FailTicks = count;
        return Task.CompletedTask;
    }

    public Task<CounterState> SnapshotAsync() => Task.FromResult(grain.State);

    public Task<int> CallThroughAsync(string otherKey) => grain.Grains.GetGrain<ICounterGrain>(otherKey).CallBackAsync(grain.Key);

    public Task<int> CallBackAsync(string originKey) => grain.Grains.GetGrain<ICounterGrain>(originKey).IncrementAsync();

    public Task ReceiveReminder(string name, TickStatus status)
    {
        var attempt = TickAttempts.AddOrUpdate(grain.Key, 1, (_, n) => n + 1);
        if (attempt <= grain.State.FailTicks)
            throw new InvalidOperationException($"tick attempt {attempt} fails on purpose");
        grain.State.Ticks++;
        grain.Journal(new CounterNoted($"tick {name}", grain.State.Ticks));
        return Task.CompletedTask;
    }
}

/// <summary>Counts effects by message id, as an idempotent handler of a real outside system would.</summary>
public sealed class RecordingHandler : IOutboxHandler<CounterMessage>
{
    public ConcurrentDictionary<Guid, int> Calls { get; } = new();
    public ConcurrentDictionary<Guid, CounterMessage> Effects { get; } = new();
    public int FailTimes { get; set; }

    /// <summary>When set, every call fails as an outside system refusing the message for good would.</summary>
    public string? RefuseForGood { get; set; }

    /// <summary>When set, every call waits for it first (a slow or stuck outside system).</summary>
    public Func<CancellationToken, Task>? Hold { get; set; }

    public async Task HandleAsync(CounterMessage message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        if (Hold is { } hold) await hold(cancellationToken);
        var calls = Calls.AddOrUpdate(delivery.MessageId, 1, (_, n) => n + 1);
        if (RefuseForGood is { } reason) throw new PermanentOutboxFailureException(reason);
        if (calls <= FailTimes) throw new InvalidOperationException($"handler fails on purpose (call {calls})");
        Effects.TryAdd(delivery.MessageId, message);
    }
}
