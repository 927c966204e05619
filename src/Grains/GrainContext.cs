using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Grains;

/// <summary>
/// What a Courier grain sees of its call: its state and the effects it records. Everything recorded
/// during a grain call — the state, journal entries, outbox messages, reminder changes and
/// read-model rows — commits in one PostgreSQL transaction when the call returns; live events are
/// published only after that commit. If the call throws, none of it happens and the state returns
/// to its last committed value.
/// </summary>
/// <remarks>
/// Orleans runs the grain (one activation in the cluster, one call at a time); this context is the
/// piece Orleans lacks, a grain facet injected with <see cref="GrainContextAttribute"/>:
/// <code>
/// public sealed class OrderGrain([GrainContext] IGrainContext&lt;OrderState&gt; grain) : Grain, IOrderGrain
/// </code>
/// Read <see cref="State"/> through the context on every call; do not keep the state object in a
/// field, because the context replaces it when a call fails.
/// </remarks>
public interface IGrainContext<out TState> where TState : class, new()
{
    string Key { get; }

    /// <summary>The grain's identity as "type/key", for messages and logs.</summary>
    string Identity { get; }

    TState State { get; }

    /// <summary>The version the state will have once the current call commits (in a [ReadOnly] call: the current version).</summary>
    long Version { get; }

    /// <summary>The silo's clock. Grains never read the system clock themselves.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Orleans' grain factory, for calls to other grains.</summary>
    IGrainFactory Grains { get; }

    /// <summary>Appends an entry to the grain's journal (the timeline), in the call's transaction.</summary>
    void Journal<TEntry>(TEntry entry) where TEntry : IJournalEntry;

    /// <summary>Emits an outbox message: dispatched at least once after commit by its handler.</summary>
    void Send<TMessage>(TMessage message) where TMessage : IOutboxMessage;

    /// <summary>Publishes a live event after commit, stamped with the committed version.</summary>
    void Publish(LiveEvent liveEvent);

    /// <summary>
    /// Asks for <see cref="IRemindable.ReceiveReminder"/> with <paramref name="name"/> at
    /// <paramref name="due"/> (replacing an earlier due time of that name), in the call's
    /// transaction. The tick comes once; one that throws comes back (see docs/runtime.md).
    /// </summary>
    void Remind(string name, DateTimeOffset due);

    /// <summary>Cancels a reminder, in the call's transaction. Unknown names are ignored.</summary>
    void CancelReminder(string name);

    /// <summary>Writes (inserts or replaces) a read-model row, in the call's transaction.</summary>
    void Project(ReadModelRow row);
}

/// <summary>Injects a grain's <see cref="IGrainContext{TState}"/> into its constructor (an Orleans grain facet).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class GrainContextAttribute : Attribute, IFacetMetadata;
