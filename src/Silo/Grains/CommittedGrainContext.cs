using System.Text.Json;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Grains;
using Courier.Silo.Outbox;
using Courier.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Timers;

namespace Courier.Silo.Grains;

/// <summary>
/// What <see cref="CommitFilter"/> asks of an activation's grain context: run a call and commit
/// what it recorded, or handle a reminder tick.
/// </summary>
internal interface ICommittedCall
{
    Task RunAsync(IIncomingGrainCallContext call, bool readOnly);

    Task TickAsync(IIncomingGrainCallContext call, TickStatus status);
}

/// <summary>
/// One activation's <see cref="IGrainContext{TState}"/>: the Orleans grain facet through which a
/// Courier grain keeps its state and records its effects. Its state is read when Orleans sets up
/// the activation's state (as <c>IPersistentState</c> is); at the end of each call
/// <see cref="CommitFilter"/> writes the state with everything the call recorded in one
/// transaction (<see cref="IGrainStore.CommitAsync"/>), or throws it all away if the call threw.
/// </summary>
/// <remarks>
/// Orleans runs one call of an activation at a time, so the effect lists below belong to the call
/// in progress. The exception is calls marked <c>[ReadOnly]</c>, which Orleans interleaves with each
/// other (never with a writing call): they may record nothing.
/// </remarks>
internal sealed class CommittedGrainContext<TState> : IGrainContext<TState>, ICommittedCall where TState : class, new()
{
    private readonly IGrainContext activation;
    private readonly CommitPipeline pipeline;
    private readonly GrainName name;
    private IReminderRegistry? reminderRegistry;
    private TState? state;
    private string? committedJson;
    private long version;
    private bool writing;

    /// <summary>The activation started from empty state without reading (<see cref="NewGrain"/>) and has not committed yet.</summary>
    private bool unread;
    private bool ticking;
    private DateTimeOffset callStartedAt;

    /// <summary>When this activation last set the grain's Orleans reminder to fire; null when it does not know.</summary>
    private DateTimeOffset? wakeUpAt;

    private List<JournalRecord>? journal;
    private List<OutboxRecord>? outbox;
    private List<ReminderChange>? reminders;
    private List<ReadModelRow>? projections;
    private List<LiveEvent>? liveEvents;

    public CommittedGrainContext(IGrainContext activation, CommitPipeline pipeline)
    {
        this.activation = activation;
        this.pipeline = pipeline;
        name = GrainName.Of(activation.GrainId);
        activation.SetComponent<ICommittedCall>(this);
        activation.ObservableLifecycle.Subscribe(
            $"{nameof(CommittedGrainContext<TState>)}<{typeof(TState).Name}>", GrainLifecycleStage.SetupState, SetupStateAsync);
    }

    public string Key => name.Key;
    public string Identity => name.ToString();
    public TState State => state ?? throw new InvalidOperationException("Grain state is only available during a call.");
    public long Version => writing ? version + 1 : version;
    public DateTimeOffset Now => callStartedAt == default ? pipeline.Time.GetUtcNow() : callStartedAt;
    public IGrainFactory Grains => activation.ActivationServices.GetRequiredService<IGrainFactory>();

    private IReminderRegistry Reminders => reminderRegistry ??= activation.ActivationServices.GetRequiredService<IReminderRegistry>();

    private bool HasEffects =>
        journal is { Count: > 0 } || outbox is { Count: > 0 } || reminders is { Count: > 0 }
        || projections is { Count: > 0 } || liveEvents is { Count: > 0 };

    private Task SetupStateAsync(CancellationToken cancellationToken)
    {
        if (!NewGrain.IsAnnounced(activation.GrainId)) return LoadAsync(cancellationToken);
        committedJson = null;
        version = 0;
        state = Deserialize(null);
        unread = true;
        return Task.CompletedTask;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        unread = false;
        var stored = await pipeline.Store.ReadStateAsync(name, cancellationToken);
        committedJson = stored?.Json;
        version = stored?.Version ?? 0;
        state = Deserialize(committedJson);
    }

    public async Task RunAsync(IIncomingGrainCallContext call, bool readOnly)
    {
        if (readOnly)
        {
            await call.Invoke();
            if (HasEffects)
            {
                Discard();
                throw new InvalidOperationException($"{call.InterfaceName}.{call.MethodName} is [ReadOnly] but recorded journal, outbox, reminder, projection or live effects.");
            }
            return;
        }

        await CommitTogetherAsync(call.Invoke, $"{call.InterfaceName}.{call.MethodName}", completion: null);
    }

    /// <summary>
    /// Runs one call of the grain and commits what it recorded; if it throws, nothing is kept. A
    /// call that ran on state assumed new (<see cref="NewGrain"/>) and finds a stored row at commit
    /// runs once more, on the stored state.
    /// </summary>
    private async Task CommitTogetherAsync(Func<Task> body, string description, ReminderCompletion? completion)
    {
        while (true)
        {
            var assumedNew = unread;
            GrainVersionConflictException? conflict;
            Begin();
            try
            {
                try
                {
                    await body();
                }
                catch
                {
                    Discard();
                    throw;
                }
                conflict = await CommitAsync(completion);
            }
            finally
            {
                End();
            }
            if (conflict is null) return;
            if (!assumedNew)
                throw new GrainConflictException($"{description} on {name} lost a concurrent update of the grain; try again.", conflict);
        }
    }

    /// <summary>
    /// The grain's Orleans reminder fired. Courier's reminder rows — committed with the state — say
    /// what is due: each due row is handled as a call of its own (the grain's
    /// <see cref="IRemindable.ReceiveReminder"/> with the row's name), whose commit deletes the row,
    /// so a handled tick never runs again. Then the earliest row left sets when the grain wakes
    /// next, or the Orleans reminder goes when none is left. A tick that throws keeps its row (and
    /// the rows after it), and Orleans fires again one <see cref="RuntimeOptions.ReminderRetry"/> later.
    /// </summary>
    public async Task TickAsync(IIncomingGrainCallContext call, TickStatus status)
    {
        if (call.Grain is not IRemindable remindable)
            throw new InvalidOperationException($"{name} has reminder rows but its class does not implement IRemindable.");
        ticking = true;
        try
        {
            var rows = await pipeline.Store.ListRemindersAsync(name, CancellationToken.None);
            foreach (var row in rows.Where(r => r.DueAt <= pipeline.Time.GetUtcNow()).OrderBy(r => r.DueAt))
                await CommitTogetherAsync(() => remindable.ReceiveReminder(row.Name, status),
                    $"reminder '{row.Name}'", new ReminderCompletion(row.Name, row.Generation));

            var next = (await pipeline.Store.ListRemindersAsync(name, CancellationToken.None)).MinBy(r => r.DueAt);
            if (next is null)
                await UnregisterAsync();
            else
                await ScheduleAsync(next.DueAt);
            call.Result = null; // answered here: the grain was called once per due row
        }
        finally
        {
            ticking = false;
        }
    }

    private void Begin()
    {
        writing = true;
        callStartedAt = pipeline.Time.GetUtcNow();
    }

    private void End()
    {
        writing = false;
        callStartedAt = default;
    }

    /// <summary>Commits the call; on a version conflict reloads the stored state and returns the conflict.</summary>
    private async Task<GrainVersionConflictException?> CommitAsync(ReminderCompletion? completion)
    {
        var json = JsonSerializer.Serialize(state, GrainJson.Options);
        if (!HasEffects && completion is null && string.Equals(json, committedJson, StringComparison.Ordinal))
            return null;

        var commit = BuildCommit(json, completion);
        try
        {
            // Orleans' reminder first, outside the transaction: if it fires without (or before) the
            // commit, it finds no due row of ours and does nothing, so nothing can be missed. One
            // Orleans reminder per grain, set to the earliest row; a later row needs no write (the
            // earlier tick sets the next one), nor does a cancel (that tick finds nothing due).
            if (!ticking && EarliestAsked() is { } wanted && (wakeUpAt is null || wanted < wakeUpAt))
                await ScheduleAsync(wanted);
            await pipeline.Store.CommitAsync(commit, CancellationToken.None);
        }
        catch (GrainVersionConflictException ex)
        {
            // The row was not what this activation held: it assumed a new grain that was stored
            // after all, or another activation committed first (only while Orleans' directory heals
            // after a node failure). Take the stored state.
            ClearEffects();
            await LoadAsync(CancellationToken.None);
            return ex;
        }
        catch
        {
            Discard();
            throw;
        }

        committedJson = json;
        version = commit.NewVersion;
        unread = false;
        ClearEffects();
        await pipeline.OnCommittedAsync(commit);
        return null;
    }

    /// <summary>The earliest due time among the reminders this call asked for (each name's last word).</summary>
    private DateTimeOffset? EarliestAsked()
    {
        if (reminders is not { Count: > 0 }) return null;
        var last = new Dictionary<string, ReminderChange>(StringComparer.Ordinal);
        foreach (var change in reminders) last[change.Name] = change;
        DateTimeOffset? earliest = null;
        foreach (var change in last.Values)
        {
            if (change.Due is { } due && (earliest is null || due < earliest)) earliest = due;
        }
        return earliest;
    }

    /// <summary>Sets the grain's Orleans reminder to fire at <paramref name="due"/> (then every <see cref="RuntimeOptions.ReminderRetry"/> until a tick moves or removes it).</summary>
    private async Task ScheduleAsync(DateTimeOffset due)
    {
        var dueIn = due - pipeline.Time.GetUtcNow();
        await Reminders.RegisterOrUpdateReminder(
            activation.GrainId, ReminderSweep.OrleansReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, pipeline.Options.ReminderRetry);
        wakeUpAt = due;
    }

    private async Task UnregisterAsync()
    {
        if (await Reminders.GetReminder(activation.GrainId, ReminderSweep.OrleansReminder) is { } registered)
            await Reminders.UnregisterReminder(activation.GrainId, registered);
        wakeUpAt = null;
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
        var at = Now;
        IReadOnlyList<LiveUpdate> updates = liveEvents is { Count: > 0 }
            ? liveEvents.Select(e => new LiveUpdate(
                e.Kind, e.Topics, Identity, newVersion, at,
                JsonSerializer.SerializeToElement(e, e.GetType(), GrainJson.Options), pipeline.NodeName)).ToArray()
            : [];
        return new GrainCommit(
            name, version, json, at,
            journal is { Count: > 0 } ? [.. journal] : [],
            outbox is { Count: > 0 } ? [.. outbox] : [],
            reminders is { Count: > 0 } ? [.. reminders] : [],
            projections is { Count: > 0 } ? [.. projections] : [],
            updates,
            completion,
            outbox is { Count: > 0 } ? pipeline.ClaimOutbox() : null);
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
        outbox.Add(new OutboxRecord(Guid.CreateVersion7(pipeline.Time.GetUtcNow()), OutboxMessageTypes.NameOf(type), JsonSerializer.Serialize(message, type, GrainJson.Options)));
    }

    public void Publish(LiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        (liveEvents ??= []).Add(liveEvent);
    }

    public void Remind(string reminderName, DateTimeOffset due)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        (reminders ??= []).Add(new ReminderChange(reminderName, due, Guid.NewGuid()));
    }

    public void CancelReminder(string reminderName) => (reminders ??= []).Add(new ReminderChange(reminderName, null, Guid.Empty));

    public void Project(ReadModelRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        (projections ??= []).Add(row);
    }
}
