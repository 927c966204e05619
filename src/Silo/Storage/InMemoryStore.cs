using System.Threading.Channels;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Silo.Grains;

namespace Courier.Silo.Storage;

/// <summary>
/// The store in memory, with the same semantics as the PostgreSQL one (version checks, outbox
/// leases, atomic commits, a relay to every listener). For fast tests and benchmarks only —
/// never the product's default.
/// </summary>
internal sealed class InMemoryStore : IGrainStore, IOutboxStore, ILiveUpdateFeed
{
    private readonly Lock gate = new();
    private readonly Dictionary<GrainName, StoredGrainState> states = [];
    private readonly Dictionary<GrainName, List<JournalEntryRecord>> journals = [];
    private readonly Dictionary<(GrainName Grain, string Name), ReminderRow> reminders = [];
    private readonly Dictionary<Guid, OutboxRow> outbox = [];
    private readonly Dictionary<(Type RowType, string Key), ReadModelRow> readModels = [];
    private readonly List<Channel<LiveUpdate>> listeners = [];


    public IReadOnlyList<TRow> ReadModel<TRow>() where TRow : ReadModelRow
    {
        lock (gate) return [.. readModels.Where(r => r.Key.RowType == typeof(TRow)).Select(r => (TRow)r.Value)];
    }

    public Task<StoredGrainState?> ReadStateAsync(GrainName grain, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(states.GetValueOrDefault(grain));
    }

    public Task CommitAsync(GrainCommit commit, CancellationToken cancellationToken)
    {
        Channel<LiveUpdate>[] relay;
        lock (gate)
        {
            var current = states.GetValueOrDefault(commit.Grain)?.Version ?? 0;
            if (current != commit.ExpectedVersion)
                throw new GrainVersionConflictException($"Version conflict on {commit.Grain}: expected {commit.ExpectedVersion}, found {current}.");
            if (commit.Completion is { } completion
                && reminders.TryGetValue((commit.Grain, completion.Name), out var completed) && completed.Generation == completion.Generation)
                reminders.Remove((commit.Grain, completion.Name));

            states[commit.Grain] = new StoredGrainState(commit.NewVersion, commit.StateJson);
            if (commit.Journal.Count > 0)
            {
                if (!journals.TryGetValue(commit.Grain, out var entries)) journals[commit.Grain] = entries = [];
                entries.AddRange(commit.Journal.Select(j => new JournalEntryRecord(commit.NewVersion, j.Sequence, commit.At, j.Kind, j.DataJson)));
            }
            foreach (var message in commit.Outbox)
                outbox[message.Id] = new OutboxRow(new OutboxEnvelope(
                    message.Id, message.MessageType, message.PayloadJson, commit.Grain.Type, commit.Grain.Key,
                    OutboxStatus.Pending, 0, commit.At, commit.At, null), commit.OutboxClaim?.Until, commit.OutboxClaim?.Node);
            foreach (var change in commit.Reminders)
            {
                var key = (commit.Grain, change.Name);
                if (change.Due is { } due)
                    reminders[key] = new ReminderRow(due, change.Generation);
                else
                    reminders.Remove(key);
            }
            foreach (var row in commit.Projections)
                readModels[(row.GetType(), row.RowKey)] = row;
            relay = [.. listeners];
        }
        foreach (var update in commit.LiveUpdates)
            foreach (var listener in relay)
                listener.Writer.TryWrite(update);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalEntryRecord>> ReadJournalAsync(GrainName grain, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<JournalEntryRecord>>(journals.TryGetValue(grain, out var entries) ? [.. entries] : []);
    }

    public Task<IReadOnlyList<ReminderRecord>> ListDueRemindersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<ReminderRecord>>([.. reminders
                .Where(r => r.Value.DueAt <= now)
                .OrderBy(r => r.Value.DueAt)
                .Take(max)
                .Select(r => new ReminderRecord(r.Key.Grain, r.Key.Name, r.Value.DueAt, r.Value.Generation))]);
    }

    /// <remarks>Nothing: rows in memory were all written by this process, which registers Orleans' reminder with each.</remarks>
    public Task<IReadOnlyList<ReminderRecord>> ListUnscheduledRemindersAsync(int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReminderRecord>>([]);

    public Task<IReadOnlyList<ReminderRecord>> ListRemindersAsync(GrainName grain, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<ReminderRecord>>([.. reminders
                .Where(r => r.Key.Grain == grain)
                .OrderBy(r => r.Key.Name, StringComparer.Ordinal)
                .Select(r => new ReminderRecord(grain, r.Key.Name, r.Value.DueAt, r.Value.Generation))]);
    }

    public Task<IReadOnlyList<OutboxEnvelope>> LeaseDueMessagesAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var due = outbox.Values
                .Where(m => m.Envelope.Status == OutboxStatus.Pending && m.Envelope.NextAttemptAt <= now && (m.LeaseUntil is null || m.LeaseUntil < now))
                .OrderBy(m => m.Envelope.NextAttemptAt)
                .Take(max)
                .ToList();
            foreach (var message in due) outbox[message.Envelope.Id] = message with { LeaseUntil = now + lease, LeaseOwner = node };
            return Task.FromResult<IReadOnlyList<OutboxEnvelope>>([.. due.Select(m => m.Envelope)]);
        }
    }

    public Task ReleaseMessagesAsync(IReadOnlyList<Guid> ids, string node, CancellationToken cancellationToken)
    {
        lock (gate)
            foreach (var id in ids)
                if (outbox.TryGetValue(id, out var message) && message.Envelope.Status == OutboxStatus.Pending && message.LeaseOwner == node)
                    outbox[id] = message with { LeaseUntil = null, LeaseOwner = null };
        return Task.CompletedTask;
    }

    public Task MarkMessagesDoneAsync(IReadOnlyList<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (gate)
            foreach (var id in ids)
                if (outbox.TryGetValue(id, out var message))
                    outbox[id] = new OutboxRow(message.Envelope with { Status = OutboxStatus.Done }, null) { DoneAt = at };
        return Task.CompletedTask;
    }

    public Task MarkMessageFailedAsync(Guid id, int attempts, DateTimeOffset? nextAttempt, string error, CancellationToken cancellationToken)
    {
        lock (gate)
            if (outbox.TryGetValue(id, out var message))
                outbox[id] = new OutboxRow(message.Envelope with
                {
                    Attempts = attempts,
                    Status = nextAttempt is null ? OutboxStatus.Dead : OutboxStatus.Pending,
                    NextAttemptAt = nextAttempt ?? message.Envelope.NextAttemptAt,
                    LastError = error,
                }, null);
        return Task.CompletedTask;
    }

    public Task<int> PurgeDoneMessagesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var done = outbox.Where(m => m.Value.Envelope.Status == OutboxStatus.Done && m.Value.DoneAt < before).Select(m => m.Key).ToList();
            foreach (var id in done) outbox.Remove(id);
            return Task.FromResult(done.Count);
        }
    }

    public Task<IReadOnlyList<OutboxEnvelope>> ListOutboxAsync(OutboxStatus status, int max, CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<OutboxEnvelope>>([.. outbox.Values
                .Select(m => m.Envelope)
                .Where(m => m.Status == status)
                .OrderBy(m => m.CreatedAt)
                .Take(max)]);
    }

    public Task<OutboxCounts> CountOutboxAsync(CancellationToken cancellationToken)
    {
        lock (gate)
            return Task.FromResult(new OutboxCounts(
                outbox.Values.LongCount(m => m.Envelope.Status == OutboxStatus.Pending),
                outbox.Values.LongCount(m => m.Envelope.Status == OutboxStatus.Dead)));
    }

    public async Task ListenAsync(Func<LiveUpdate, ValueTask> onUpdate, Action onConnected, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<LiveUpdate>(new UnboundedChannelOptions { SingleReader = true });
        lock (gate) listeners.Add(channel);
        onConnected();
        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                await onUpdate(update).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (gate) listeners.Remove(channel);
        }
    }

    public Task<string?> UnreadyReasonAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    private sealed record ReminderRow(DateTimeOffset DueAt, Guid Generation);

    private sealed record OutboxRow(OutboxEnvelope Envelope, DateTimeOffset? LeaseUntil, string? LeaseOwner = null)
    {
        public DateTimeOffset? DoneAt { get; init; }
    }
}
