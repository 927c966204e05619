using Courier.Abstractions.Live;
using Courier.Silo.Runtime;

namespace Courier.Silo.Storage;

/// <summary>
/// Durable storage of the runtime: grain state with optimistic versions, journal, outbox,
/// reminders, read models and the cross-node live-update channel. PostgreSQL in the product;
/// an in-memory implementation with the same semantics for fast tests and benchmarks.
/// </summary>
internal interface IRuntimeStore
{
    Task<StoredGrainState?> ReadStateAsync(GrainId grain, CancellationToken cancellationToken);

    /// <summary>Writes a call's changes atomically.</summary>
    /// <exception cref="GrainVersionConflictException">The state's version is not <see cref="GrainCommit.ExpectedVersion"/>.</exception>
    /// <exception cref="ReminderLeaseLostException">The completed tick's lease is no longer held.</exception>
    Task CommitAsync(GrainCommit commit, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalEntryRecord>> ReadJournalAsync(GrainId grain, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeasedReminder>> LeaseDueRemindersAsync(string node, Guid leaseToken, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>A tick threw: release the lease and try again at <paramref name="nextDue"/>.</summary>
    Task RetryReminderAsync(LeasedReminder reminder, DateTimeOffset nextDue, string error, CancellationToken cancellationToken);

    /// <summary>Removes a reminder whose grain type no longer exists (or is otherwise unusable).</summary>
    Task DropReminderAsync(LeasedReminder reminder, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderRecord>> ListRemindersAsync(GrainId grain, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEnvelope>> LeaseDueMessagesAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Gives back messages <paramref name="node"/> claimed but will not dispatch (it is stopping), so any node's next poll takes them.</summary>
    Task ReleaseMessagesAsync(IReadOnlyList<Guid> ids, string node, CancellationToken cancellationToken);

    Task MarkMessagesDoneAsync(IReadOnlyList<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A dispatch failed: retry at <paramref name="nextAttempt"/>, or dead-letter it when that is null.</summary>
    Task MarkMessageFailedAsync(Guid id, int attempts, DateTimeOffset? nextAttempt, string error, CancellationToken cancellationToken);

    /// <summary>Deletes dispatched messages finished before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeDoneMessagesAsync(DateTimeOffset before, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEnvelope>> ListOutboxAsync(OutboxStatus status, int max, CancellationToken cancellationToken);

    /// <summary>How many messages wait to be dispatched and how many were dead-lettered, across every node.</summary>
    Task<OutboxCounts> CountOutboxAsync(CancellationToken cancellationToken);

    /// <summary>Receives every committed live update of every node until cancelled (the NOTIFY relay).</summary>
    Task ListenAsync(Func<LiveUpdate, ValueTask> onUpdate, Action onConnected, CancellationToken cancellationToken);

    /// <summary>True when the store can be reached and its schema is in place.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}
