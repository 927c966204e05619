using Courier.Abstractions.Live;
using Courier.Silo.Grains;

namespace Courier.Silo.Storage;

/// <summary>
/// Durable storage of Courier's grains: state with optimistic versions, journal, outbox,
/// reminder rows, read models and the cross-node live-update channel. PostgreSQL in the product;
/// an in-memory implementation with the same semantics for fast tests and benchmarks.
/// </summary>
internal interface IRuntimeStore
{
    Task<StoredGrainState?> ReadStateAsync(GrainName grain, CancellationToken cancellationToken);

    /// <summary>Writes a call's changes atomically.</summary>
    /// <exception cref="GrainVersionConflictException">The state's version is not <see cref="GrainCommit.ExpectedVersion"/>.</exception>
    Task CommitAsync(GrainCommit commit, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalEntryRecord>> ReadJournalAsync(GrainName grain, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderRecord>> ListRemindersAsync(GrainName grain, CancellationToken cancellationToken);

    /// <summary>Reminders due at or before <paramref name="now"/>, earliest first (the start-up sweep of overdue ticks).</summary>
    Task<IReadOnlyList<ReminderRecord>> ListDueRemindersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Reminder rows Orleans holds no reminder for (rows written before Courier ran on Orleans).</summary>
    Task<IReadOnlyList<ReminderRecord>> ListUnscheduledRemindersAsync(int max, CancellationToken cancellationToken);

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
