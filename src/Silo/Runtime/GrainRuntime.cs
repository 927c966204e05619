using System.Collections.Concurrent;
using System.Diagnostics;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Silo.Live;
using Courier.Silo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Runtime;

/// <summary>
/// The grain runtime of one node: resolves references, activates grains on first call, runs one
/// call at a time per activation, commits each call in one transaction and publishes its live
/// events after the commit.
/// </summary>
public sealed partial class GrainRuntime : IGrainFactory
{
    private readonly ConcurrentDictionary<GrainId, Activation> activations = new();
    private readonly GrainTypeRegistry registry;
    private readonly LiveUpdateBus liveUpdates;
    private readonly ILogger<GrainRuntime> log;
    private readonly CancellationTokenSource stopping = new();
    private readonly long callTimeoutTicks;
    private volatile bool stopped;

    internal GrainRuntime(
        GrainTypeRegistry registry,
        IRuntimeStore store,
        IServiceProvider services,
        TimeProvider time,
        IOptions<RuntimeOptions> options,
        LiveUpdateBus liveUpdates,
        ILogger<GrainRuntime> log)
    {
        this.registry = registry;
        this.liveUpdates = liveUpdates;
        this.log = log;
        Store = store;
        Services = services;
        Time = time;
        Options = options.Value;
        NodeName = Options.NodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        callTimeoutTicks = (long)(Options.CallTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    public string NodeName { get; }
    public int ActivationCount => activations.Count;
    internal IRuntimeStore Store { get; }
    internal IServiceProvider Services { get; }
    internal TimeProvider Time { get; }
    internal RuntimeOptions Options { get; }
    internal GrainTypeRegistry Registry => registry;
    internal CancellationToken Stopping => stopping.Token;

    /// <summary>Raised after every commit on this node (the outbox dispatcher and reminder service wake on it).</summary>
    internal event Action<GrainCommit>? Committed;

    private int outboxDispatchersRunning;

    /// <summary>While this node's outbox dispatcher runs, its commits claim their own messages (see <see cref="OutboxClaim"/>).</summary>
    internal IDisposable DispatchOwnOutbox()
    {
        Interlocked.Increment(ref outboxDispatchersRunning);
        return new OutboxDispatchRegistration(this);
    }

    /// <remarks>
    /// No claim when the lease is not longer than a handler may run: a claimed message could then
    /// still be running here when its claim ran out and another node took it.
    /// </remarks>
    internal OutboxClaim? ClaimOutbox() =>
        Volatile.Read(ref outboxDispatchersRunning) > 0 && Options.OutboxLease > Options.OutboxHandlerTimeout
            ? new OutboxClaim(NodeName, Time.GetUtcNow() + Options.OutboxLease)
            : null;

    private sealed class OutboxDispatchRegistration(GrainRuntime runtime) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) Interlocked.Decrement(ref runtime.outboxDispatchersRunning);
        }
    }

    public TGrain Get<TGrain>(string key) where TGrain : IGrainWithStringKey => Reference<TGrain>(key, newKey: false);

    public TGrain GetNew<TGrain>(string key) where TGrain : IGrainWithStringKey => Reference<TGrain>(key, newKey: true);

    private TGrain Reference<TGrain>(string key, bool newKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (TGrain)GrainProxy.Create(typeof(TGrain), this, registry.ForInterface(typeof(TGrain)), key, newKey);
    }

    internal async Task<T> InvokeAsync<T>(GrainId id, GrainTypeInfo type, GrainTurn<T> turn)
    {
        var deadline = Stopwatch.GetTimestamp() + callTimeoutTicks;
        while (true)
        {
            ObjectDisposedException.ThrowIf(stopped, this);
            var activation = activations.GetOrAdd(id, static (grainId, state) => state.runtime.Activate(grainId, state.type), (runtime: this, type));
            try
            {
                return await activation.RunAsync(turn, deadline).ConfigureAwait(false);
            }
            catch (ActivationDeactivatedException)
            {
                activations.TryRemove(new KeyValuePair<GrainId, Activation>(id, activation));
            }
        }
    }

    private Activation Activate(GrainId id, GrainTypeInfo type)
    {
        var activationType = typeof(Activation<>).MakeGenericType(type.StateType);
        return (Activation)Activator.CreateInstance(activationType, this, id, type)!;
    }

    /// <summary>Runs a leased reminder tick as a grain call whose commit also completes the tick.</summary>
    internal Task InvokeReminderAsync(LeasedReminder reminder, GrainTypeInfo type, DateTimeOffset firedAt)
    {
        DateTimeOffset? nextDue = null;
        if (reminder.Period is { } period)
        {
            var periods = Math.Max(1, (long)Math.Floor((firedAt - reminder.DueAt) / period) + 1);
            nextDue = reminder.DueAt + period * periods;
        }
        var tick = new ReminderTick(reminder.DueAt, firedAt, reminder.Attempts + 1, reminder.Period);
        var turn = new GrainTurn<bool>($"reminder '{reminder.Name}'", false, async grain =>
        {
            if (grain is IRemindable remindable)
                await remindable.ReceiveReminder(reminder.Name, tick).ConfigureAwait(false);
            else
                LogNotRemindable(reminder.Grain.ToString(), reminder.Name);
            return true;
        })
        {
            Completion = new ReminderCompletion(reminder.Name, reminder.Generation, reminder.LeaseToken, nextDue),
        };
        return InvokeAsync(reminder.Grain, type, turn);
    }

    internal async ValueTask OnCommittedAsync(GrainCommit commit)
    {
        foreach (var update in commit.LiveUpdates)
            await liveUpdates.PublishAsync(update).ConfigureAwait(false);
        Committed?.Invoke(commit);
    }

    /// <summary>A live update committed by another node: activations here holding older state reload before their next call.</summary>
    internal void OnForeignUpdate(LiveUpdate update)
    {
        var slash = update.Source.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return;
        if (activations.TryGetValue(new GrainId(update.Source[..slash], update.Source[(slash + 1)..]), out var activation))
            activation.NoteCommittedElsewhere(update.Version);
    }

    // Jitter only spreads competing replays apart; it needs no cryptographic strength.
#pragma warning disable CA5394, SCS0005
    internal static TimeSpan ConflictBackoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(100, 2 << Math.Min(attempt, 6))));
#pragma warning restore CA5394, SCS0005

    /// <summary>Deactivates activations idle longer than their type allows; returns how many went.</summary>
    internal int CollectIdleActivations()
    {
        var now = Stopwatch.GetTimestamp();
        var collected = 0;
        foreach (var (id, activation) in activations)
        {
            var idle = activation.Type.IdleDeactivation ?? Options.IdleDeactivation;
            if (activation.TryDeactivateIfIdle(now, idle) && activations.TryRemove(new KeyValuePair<GrainId, Activation>(id, activation)))
                collected++;
        }
        if (collected > 0) LogCollected(collected);
        return collected;
    }

    /// <summary>Stops accepting calls. Committed work is durable; in-flight calls finish or fail.</summary>
    internal void Stop()
    {
        stopped = true;
        stopping.Cancel();
        activations.Clear();
    }

    internal void LogTimerFailure(GrainId id, Exception ex) => LogTimerFailed(ex, id.ToString());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer tick of {Grain} failed")]
    private partial void LogTimerFailed(Exception ex, string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Reminder} fired on {Grain}, which does not implement IRemindable; the reminder is completed")]
    private partial void LogNotRemindable(string grain, string reminder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivated {Count} idle activations")]
    private partial void LogCollected(int count);
}
