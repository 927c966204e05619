using Courier.Abstractions.Live;

namespace Courier.Abstractions.Runtime;

/// <summary>
/// What a grain sees of the runtime. Everything recorded here during a call (state, journal
/// entries, outbox messages, reminder changes, projections) commits in one transaction when the
/// call returns; live events are published only after that commit. If the call throws, none of
/// it happens and the state returns to its last committed value.
/// </summary>
/// <remarks>
/// Read <see cref="State"/> through the context on every call; do not keep the state object in a
/// field, because the runtime replaces it when it reloads after a conflict or a failed call.
/// </remarks>
public interface IGrainContext<out TState> where TState : class, new()
{
    string Key { get; }

    /// <summary>The grain's identity as "type/key", for messages and logs.</summary>
    string Identity { get; }

    TState State { get; }

    /// <summary>The version the state will have once the current call commits (in a [Query] call: the current version).</summary>
    long Version { get; }

    /// <summary>The runtime clock. Grains never read the system clock themselves.</summary>
    DateTimeOffset Now { get; }

    IGrainFactory Grains { get; }

    /// <summary>Appends an entry to the grain's journal (the timeline), in the call's transaction.</summary>
    void Journal<TEntry>(TEntry entry) where TEntry : IJournalEntry;

    /// <summary>Emits an outbox message: dispatched at least once after commit by its handler.</summary>
    void Send<TMessage>(TMessage message) where TMessage : IOutboxMessage;

    /// <summary>Publishes a live event after commit, stamped with the committed version.</summary>
    void Publish(LiveEvent liveEvent);

    /// <summary>Registers (or replaces) a durable reminder, in the call's transaction.</summary>
    void Remind(string name, DateTimeOffset due, TimeSpan? period = null);

    /// <summary>Cancels a durable reminder, in the call's transaction. Unknown names are ignored.</summary>
    void CancelReminder(string name);

    /// <summary>Writes (inserts or replaces) a read-model row, in the call's transaction.</summary>
    void Project(ReadModelRow row);

    /// <summary>
    /// An in-memory timer that dies with the activation. Each tick runs as a grain call (one at a
    /// time with the others) and commits like one. Only for work that may be lost.
    /// </summary>
    IDisposable RegisterTimer(Func<Task> tick, TimeSpan dueTime, TimeSpan period);
}
