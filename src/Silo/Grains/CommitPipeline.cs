using Courier.Abstractions.Live;
using Courier.Silo.Live;
using Courier.Silo.Storage;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Grains;

/// <summary>
/// What every grain call's commit goes through on this node: the store it is written to, the
/// clock grains read, and what happens right after a commit — live events published on this
/// node's bus (other nodes get them through the store's NOTIFY relay), and the observers of
/// <see cref="Committed"/> (the outbox dispatcher takes the call's messages, metrics count them).
/// </summary>
internal sealed class CommitPipeline
{
    private readonly LiveUpdateBus liveUpdates;
    private int outboxDispatchersRunning;

    public CommitPipeline(IGrainStore store, LiveUpdateBus liveUpdates, TimeProvider time, IOptions<RuntimeOptions> options)
    {
        this.liveUpdates = liveUpdates;
        Store = store;
        Time = time;
        Options = options.Value;
        NodeName = Options.NodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    }

    public IGrainStore Store { get; }

    /// <summary>Courier's clock: what grains read as now (a fake one in tests). Orleans itself runs on the system clock.</summary>
    public TimeProvider Time { get; }

    public RuntimeOptions Options { get; }

    /// <summary>Identifies this node in outbox leases and live-update relays.</summary>
    public string NodeName { get; }

    /// <summary>Raised after every commit on this node.</summary>
    public event Action<GrainCommit>? Committed;

    /// <summary>While this node's outbox dispatcher runs, its commits claim their own messages (see <see cref="OutboxClaim"/>).</summary>
    public IDisposable DispatchOwnOutbox()
    {
        Interlocked.Increment(ref outboxDispatchersRunning);
        return new OutboxDispatchRegistration(this);
    }

    /// <remarks>
    /// No claim when the lease is not longer than a handler may run: a claimed message could then
    /// still be running here when its claim ran out and another node took it.
    /// </remarks>
    public OutboxClaim? ClaimOutbox() =>
        Volatile.Read(ref outboxDispatchersRunning) > 0 && Options.OutboxLease > Options.OutboxHandlerTimeout
            ? new OutboxClaim(NodeName, Time.GetUtcNow() + Options.OutboxLease)
            : null;

    public async ValueTask OnCommittedAsync(GrainCommit commit)
    {
        foreach (var update in commit.LiveUpdates)
            await liveUpdates.PublishAsync(update).ConfigureAwait(false);
        Committed?.Invoke(commit);
    }

    /// <summary>A live update this node received through the relay: published here unless it was committed here.</summary>
    public ValueTask OnRelayedAsync(LiveUpdate update) =>
        update.Node == NodeName ? ValueTask.CompletedTask : liveUpdates.PublishAsync(update);

    private sealed class OutboxDispatchRegistration(CommitPipeline pipeline) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) Interlocked.Decrement(ref pipeline.outboxDispatchersRunning);
        }
    }
}
