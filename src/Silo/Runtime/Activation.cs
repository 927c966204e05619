using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Silo.Outbox;
using Courier.Silo.Storage;

namespace Courier.Silo.Runtime;

/// <summary>One live instance of a grain on this node: its state, its turn gate, its timers.</summary>
internal abstract class Activation(GrainId id, GrainTypeInfo type)
{
    public GrainId Id { get; } = id;
    public GrainTypeInfo Type { get; } = type;

    public abstract Task<T> RunAsync<T>(GrainTurn<T> turn, long deadline);

    /// <summary>Another node committed this grain at <paramref name="version"/>: reload before the next call if that is newer.</summary>
    public abstract void NoteCommittedElsewhere(long version);

    /// <summary>Deactivates when idle for at least <paramref name="idleFor"/> and not busy; true if it did.</summary>
    public abstract bool TryDeactivateIfIdle(long nowTimestamp, TimeSpan idleFor);

    public abstract long Version { get; }
}

/// <summary>Thrown to the runtime when a call reached an activation that was just deactivated; the runtime retries on a fresh one.</summary>
internal sealed class ActivationDeactivatedException() : Exception("The activation was deactivated.");

internal sealed class Activation<TState> : Activation, IGrainContext<TState> where TState : class, new()
{
    private readonly GrainRuntime runtime;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<ITimer> timers = [];
    private object? grain;
    private TState? state;
    private string? committedJson;
    private long version;
    private long committedElsewhere;
    private bool loaded;
    private bool unread;
    private volatile bool deactivated;
    private long lastUsed = Stopwatch.GetTimestamp();
    private DateTimeOffset turnStartedAt;
    private bool inQuery;

    private List<JournalRecord>? journal;
    private List<OutboxRecord>? outbox;
    private List<ReminderChange>? reminders;
    private List<ReadModelRow>? projections;
    private List<LiveEvent>? liveEvents;

    public Activation(GrainRuntime runtime, GrainId id, GrainTypeInfo type) : base(id, type) => this.runtime = runtime;

    public string Key => Id.Key;
    public string Identity => Id.ToString();
    public TState State => state ?? throw new InvalidOperationException("Grain state is only available during a call.");
    long IGrainContext<TState>.Version => inQuery ? version : version + 1;
    public override long Version => version;
    public DateTimeOffset Now => turnStartedAt == default ? runtime.Time.GetUtcNow() : turnStartedAt;
    public IGrainFactory Grains => runtime;

    private bool HasEffects =>
        journal is { Count: > 0 } || outbox is { Count: > 0 } || reminders is { Count: > 0 }
        || projections is { Count: > 0 } || liveEvents is { Count: > 0 };

    public override async Task<T> RunAsync<T>(GrainTurn<T> turn, long deadline)
    {
        var chain = CallChain.Current;
        if (!gate.Wait(0))
        {
            // An earlier turn of this very activation is waiting on this call: it can never run.
            if (chain is not null && chain.Contains(Id)) throw TimedOut(turn, chain);
            var waitFor = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (waitFor <= TimeSpan.Zero || !await gate.WaitAsync(waitFor).ConfigureAwait(false))
                throw TimedOut(turn, chain);
        }

        Task<T> work;
        try
        {
            work = ExecuteTurnAsync(turn, chain);
        }
        catch
        {
            gate.Release();
            throw;
        }

        if (work.IsCompleted) return await work.ConfigureAwait(false);
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        try
        {
            return await work.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            throw TimedOut(turn, chain);
        }
    }

    private GrainCallTimeoutException TimedOut<T>(GrainTurn<T> turn, CallChain? chain)
    {
        var timeout = runtime.Options.CallTimeout;
        var message = chain is not null && chain.Contains(Id)
            ? $"Call {turn.Description} on {Id} can never run: it is a call cycle ({chain.Describe(Id)}). Grains are not reentrant; break the cycle or send a message through the outbox."
            : $"Call {turn.Description} on {Id} timed out after {timeout.TotalSeconds:0.###} s waiting for the grain{(chain is null ? "" : $" (call path {chain.Describe(Id)})")}.";
        return new GrainCallTimeoutException(message);
    }

    private async Task<T> ExecuteTurnAsync<T>(GrainTurn<T> turn, CallChain? chain)
    {
        try
        {
            if (deactivated) throw new ActivationDeactivatedException();
            if (!loaded && turn.NewKey && !turn.IsQuery)
                StartUnread();
            else if (!loaded || Volatile.Read(ref committedElsewhere) > version)
                await LoadAsync().ConfigureAwait(false);

            for (var attempt = 1; ; attempt++)
            {
                turnStartedAt = runtime.Time.GetUtcNow();
                inQuery = turn.IsQuery;
                T result;
                ExceptionDispatchInfo? failure = null;
                CallChain.Current = new CallChain(Id, chain);
                try
                {
                    grain ??= Type.Factory(runtime.Services, [this]);
                    result = await turn.Body(grain).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Discard();
                    if (!unread) throw;
                    failure = ExceptionDispatchInfo.Capture(ex);
                    result = default!;
                }
                finally
                {
                    CallChain.Current = chain;
                }

                if (failure is not null)
                {
                    // The call failed on state that was assumed, not read: if storage holds the
                    // grain after all, the failure may be the assumption's; run it on what is stored.
                    await LoadAsync().ConfigureAwait(false);
                    if (version == 0) failure.Throw();
                    continue;
                }

                if (turn.IsQuery && turn.Completion is null)
                {
                    if (HasEffects)
                    {
                        Discard();
                        throw new InvalidOperationException($"{turn.Description} is marked [Query] but recorded journal, outbox, reminder, projection or live effects.");
                    }
                    return result;
                }

                var json = JsonSerializer.Serialize(state, GrainJson.Options);
                if (!HasEffects && turn.Completion is null && string.Equals(json, committedJson, StringComparison.Ordinal))
                    return result;

                var commit = BuildCommit(json, turn.Completion);
                try
                {
                    await runtime.Store.CommitAsync(commit, runtime.Stopping).ConfigureAwait(false);
                }
                catch (GrainVersionConflictException) when (attempt < runtime.Options.MaxConflictReplays)
                {
                    ClearEffects();
                    await LoadAsync().ConfigureAwait(false);
                    await Task.Delay(GrainRuntime.ConflictBackoff(attempt)).ConfigureAwait(false);
                    continue;
                }
                catch (GrainVersionConflictException ex)
                {
                    ClearEffects();
                    await LoadAsync().ConfigureAwait(false);
                    throw new GrainConflictException(
                        $"{turn.Description} on {Id} lost the concurrent-update race {attempt} times in a row; try again.", ex);
                }
                catch
                {
                    Discard();
                    throw;
                }

                committedJson = json;
                version = commit.NewVersion;
                unread = false; // the commit expected no stored row and found none
                ClearEffects();
                await runtime.OnCommittedAsync(commit).ConfigureAwait(false);
                return result;
            }
        }
        finally
        {
            turnStartedAt = default;
            lastUsed = Stopwatch.GetTimestamp();
            gate.Release();
        }
    }

    private async Task LoadAsync()
    {
        var stored = await runtime.Store.ReadStateAsync(Id, runtime.Stopping).ConfigureAwait(false);
        committedJson = stored?.Json;
        version = stored?.Version ?? 0;
        state = Deserialize(committedJson);
        loaded = true;
        unread = false;
    }

    /// <summary>
    /// A key the caller just made up (<see cref="GrainRuntime.GetNew{TGrain}"/>) has nothing stored:
    /// start from empty state without asking. The first commit expects no stored row, so should one
    /// exist it conflicts and the call is replayed on the stored state.
    /// </summary>
    private void StartUnread()
    {
        committedJson = null;
        version = 0;
        state = Deserialize(null);
        loaded = true;
        unread = true;
    }

    private static TState Deserialize(string? json) =>
        json is null ? new TState() : JsonSerializer.Deserialize<TState>(json, GrainJson.Options) ?? new TState();

    private void Discard()
    {
        ClearEffects();
        state = Deserialize(committedJson);
    }

    private void ClearEffects()
    {
        journal?.Clear();
        outbox?.Clear();
        reminders?.Clear();
        projections?.Clear();
        liveEvents?.Clear();
    }

    private GrainCommit BuildCommit(string json, ReminderCompletion? completion)
    {
        var newVersion = version + 1;
        var at = turnStartedAt;
        IReadOnlyList<LiveUpdate> updates = liveEvents is { Count: > 0 }
            ? liveEvents.Select(e => new LiveUpdate(
                e.Kind, e.Topics, Identity, newVersion, at,
                JsonSerializer.SerializeToElement(e, e.GetType(), GrainJson.Options), runtime.NodeName)).ToArray()
            : [];
        return new GrainCommit(
            Id, version, json, at,
            journal is { Count: > 0 } ? [.. journal] : [],
            outbox is { Count: > 0 } ? [.. outbox] : [],
            reminders is { Count: > 0 } ? [.. reminders] : [],
            projections is { Count: > 0 } ? [.. projections] : [],
            updates,
            completion,
            outbox is { Count: > 0 } ? runtime.ClaimOutbox() : null);
    }

    public void Journal<TEntry>(TEntry entry) where TEntry : IJournalEntry
    {
        journal ??= [];
        var type = entry.GetType();
        journal.Add(new JournalRecord(journal.Count, StoredName.Of(type), JsonSerializer.Serialize(entry, type, GrainJson.Options), entry));
    }

    public void Send<TMessage>(TMessage message) where TMessage : IOutboxMessage
    {
        outbox ??= [];
        var type = message.GetType();
        outbox.Add(new OutboxRecord(Guid.CreateVersion7(runtime.Time.GetUtcNow()), OutboxMessageTypes.NameOf(type), JsonSerializer.Serialize(message, type, GrainJson.Options)));
    }

    public void Publish(LiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        (liveEvents ??= []).Add(liveEvent);
    }

    public void Remind(string name, DateTimeOffset due, TimeSpan? period = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (period is { } p && p < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(period), p, "A reminder period must be at least one second.");
        (reminders ??= []).Add(new ReminderChange(name, due, period, Guid.NewGuid()));
    }

    public void CancelReminder(string name) => (reminders ??= []).Add(new ReminderChange(name, null, null, Guid.Empty));

    public void Project(ReadModelRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        (projections ??= []).Add(row);
    }

    public IDisposable RegisterTimer(Func<Task> tick, TimeSpan dueTime, TimeSpan period)
    {
        var running = 0;
        ITimer? timer = null;
        timer = runtime.Time.CreateTimer(_ =>
        {
            if (deactivated || Interlocked.Exchange(ref running, 1) == 1) return;
            _ = RunTimerTickAsync(tick).ContinueWith(_ => Volatile.Write(ref running, 0), TaskScheduler.Default);
        }, null, dueTime, period);
        lock (timers) timers.Add(timer);
        return new TimerRegistration(this, timer);
    }

    private async Task RunTimerTickAsync(Func<Task> tick)
    {
        try
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(runtime.Options.CallTimeout.TotalSeconds * Stopwatch.Frequency);
            await RunAsync(new GrainTurn<bool>("timer", false, async _ => { await tick().ConfigureAwait(false); return true; }), deadline).ConfigureAwait(false);
        }
        catch (ActivationDeactivatedException)
        {
        }
        catch (Exception ex)
        {
            runtime.LogTimerFailure(Id, ex);
        }
    }

    private void RemoveTimer(ITimer timer)
    {
        lock (timers) timers.Remove(timer);
        timer.Dispose();
    }

    public override void NoteCommittedElsewhere(long committedVersion)
    {
        long seen;
        do
        {
            seen = Volatile.Read(ref committedElsewhere);
            if (committedVersion <= seen) return;
        }
        while (Interlocked.CompareExchange(ref committedElsewhere, committedVersion, seen) != seen);
    }

    public override bool TryDeactivateIfIdle(long nowTimestamp, TimeSpan idleFor)
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref lastUsed), nowTimestamp) < idleFor) return false;
        if (!gate.Wait(0)) return false;
        try
        {
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref lastUsed), nowTimestamp) < idleFor) return false;
            deactivated = true;
            lock (timers)
            {
                foreach (var timer in timers) timer.Dispose();
                timers.Clear();
            }
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class TimerRegistration(Activation<TState> owner, ITimer timer) : IDisposable
    {
        public void Dispose() => owner.RemoveTimer(timer);
    }
}
