using Courier.Silo.Grains;

namespace Courier.Silo.Storage;

/// <summary>
/// Courier's grain storage (what Orleans' <c>IGrainStorage</c> is to a persistent grain, plus the
/// effects a call commits with its state): state with optimistic versions, journal, outbox rows,
/// reminder rows and read-model rows, written together. PostgreSQL in the product
/// (<see cref="PostgresGrainStore"/>); <see cref="InMemoryStore"/> with the same semantics for fast
/// tests and benchmarks.
/// </summary>
internal interface IGrainStore
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

    /// <summary>Why the store cannot serve now (database unreachable, schema missing), in words for an operator; null when it can.</summary>
    Task<string?> UnreadyReasonAsync(CancellationToken cancellationToken);
}
