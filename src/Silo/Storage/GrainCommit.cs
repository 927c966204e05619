using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Silo.Grains;

namespace Courier.Silo.Storage;

/// <summary>Everything one grain call changed, written in one transaction.</summary>
internal sealed record GrainCommit(
    GrainName Grain,
    long ExpectedVersion,
    string StateJson,
    DateTimeOffset At,
    IReadOnlyList<JournalRecord> Journal,
    IReadOnlyList<OutboxRecord> Outbox,
    IReadOnlyList<ReminderChange> Reminders,
    IReadOnlyList<ReadModelRow> Projections,
    IReadOnlyList<LiveUpdate> LiveUpdates,
    ReminderCompletion? Completion,
    OutboxClaim? OutboxClaim = null)
{
    public long NewVersion => ExpectedVersion + 1;
}

internal sealed record StoredGrainState(long Version, string Json);

/// <param name="Entry">The entry itself, for observers of the commit on this node (metrics), so they need not parse <paramref name="DataJson"/> again.</param>
internal sealed record JournalRecord(int Sequence, string Kind, string DataJson, IJournalEntry Entry);

/// <summary>A journal entry as read back (timeline).</summary>
internal sealed record JournalEntryRecord(long Version, int Sequence, DateTimeOffset At, string Kind, string DataJson);

internal sealed record OutboxRecord(Guid Id, string MessageType, string PayloadJson);

/// <summary>
/// The committing node keeps the call's outbox messages for itself: they are written already
/// leased to <paramref name="Node"/> until <paramref name="Until"/>, and dispatched from memory
/// right after the commit instead of being found by a poll. Should the node die first, the lease
/// runs out and any node's poll picks them up.
/// </summary>
internal sealed record OutboxClaim(string Node, DateTimeOffset Until);

/// <summary>Register (Due set) or cancel (Due null) one of the grain's reminders.</summary>
/// <param name="Generation">Tells this registration from a later one of the same name, so a tick completes only the registration it ran for.</param>
internal sealed record ReminderChange(string Name, DateTimeOffset? Due, Guid Generation)
{
    public bool IsCancel => Due is null;
}

/// <summary>A reminder tick was handled: its row goes in the grain's commit, unless the grain registered the name anew meanwhile.</summary>
internal sealed record ReminderCompletion(string Name, Guid Generation);

/// <summary>One of a grain's reminders as stored: what is due, and when.</summary>
internal sealed record ReminderRecord(GrainName Grain, string Name, DateTimeOffset DueAt, Guid Generation);

public enum OutboxStatus
{
    Pending,
    Done,
    Dead,
}

/// <summary>An outbox message as the dispatcher and the admin views see it.</summary>
public sealed record OutboxEnvelope(
    Guid Id,
    string MessageType,
    string PayloadJson,
    string SourceGrainType,
    string SourceGrainKey,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LastError);

/// <summary>The outbox's backlog: messages still to dispatch (retries included) and dead-lettered ones.</summary>
public sealed record OutboxCounts(long Pending, long Dead);

/// <summary>The version of the state row did not match: another writer got there first.</summary>
internal sealed class GrainVersionConflictException(string message) : Exception(message);
