using System.Collections.Concurrent;
using System.Text.Json;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Silo.Hosting;
using Courier.Silo.Outbox;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Runtime;

/// <summary>
/// What Courier promises on Orleans, checked on real silos of one cluster on a fresh PostgreSQL
/// database per test: a call and its effects commit together, once; one activation per grain in
/// the cluster; reminders, the outbox and live updates across silos and across node failures.
/// </summary>
public sealed class RuntimeConformanceTests : IAsyncLifetime
{
    private readonly List<TestSilo> nodes = [];
    private TestDatabase database = null!;
    private string store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        store = database.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes) await node.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<TestSilo> NodeAsync(Action<RuntimeOptions>? options = null, RecordingHandler? handler = null)
    {
        var node = await TestSilo.StartAsync(store, services =>
        {
            services.AddSingleton(handler ?? new RecordingHandler());
            services.AddOutboxHandler<CounterMessage, RecordingHandler>();
        }, options);
        nodes.Add(node);
        return node;
    }

    private static GrainName CounterId(string key) => GrainName.Of<CounterGrain>(key);

    /// <summary>A key no other test uses: the test grain's activation log is process-wide.</summary>
    private static string Key(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Call_state_survives_a_node_restart()
    {
        var first = await NodeAsync();
        await first.Grains.GetGrain<ICounterGrain>("a").IncrementAsync();
        await first.Grains.GetGrain<ICounterGrain>("a").IncrementAsync();
        await first.KillAsync();

        var second = await NodeAsync();
        Assert.Equal(2, await second.Grains.GetGrain<ICounterGrain>("a").GetAsync());
    }

    [Fact]
    public async Task Concurrent_calls_to_one_grain_lose_no_update()
    {
        var node = await NodeAsync();
        var counter = node.Grains.GetGrain<ICounterGrain>("hot");

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => counter.IncrementAsync())));

        Assert.Equal(1000, await counter.GetAsync());
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1000, (await node.Store.ReadStateAsync(CounterId("hot"), default))!.Version);
    }

    [Fact]
    public async Task Two_silos_calling_one_grain_1000_times_concurrently_reach_one_activation_and_lose_no_update()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        var key = Key("shared");

        await Task.WhenAll(
            Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => first.Grains.GetGrain<ICounterGrain>(key).IncrementAsync()))),
            Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => second.Grains.GetGrain<ICounterGrain>(key).IncrementAsync()))));

        var stored = await first.Store.ReadStateAsync(CounterId(key), default);
        Assert.Equal(1000, JsonDocument.Parse(stored!.Json).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(1000, stored.Version);
        Assert.Single(CounterGrain.Activations[key]);
        Assert.Equal(1000, await second.Grains.GetGrain<ICounterGrain>(key).GetAsync());
    }

    [Fact]
    public async Task A_call_that_throws_commits_nothing_and_leaves_the_last_committed_state()
    {
        var updates = new ConcurrentBag<LiveUpdate>();
        var handler = new RecordingHandler();
        var node = await NodeAsync(handler: handler);
        using var _ = node.LiveUpdates.Subscribe(u => { updates.Add(u); return ValueTask.CompletedTask; });
        var counter = node.Grains.GetGrain<ICounterGrain>("fragile");
        await counter.IncrementAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => counter.IncrementThenFailAsync());

        Assert.Equal(1, await counter.GetAsync());
        Assert.Equal(1, (await node.Store.ReadStateAsync(CounterId("fragile"), default))!.Version);
        Assert.Empty(await node.Store.ReadJournalAsync(CounterId("fragile"), default));
        await Task.Delay(400);
        Assert.Empty(handler.Calls);
        Assert.Empty(updates);
    }

    [Fact]
    public async Task Journal_entries_are_committed_with_the_call_in_order()
    {
        var node = await NodeAsync();
        var counter = node.Grains.GetGrain<ICounterGrain>("journaled");
        await counter.IncrementAndJournalAsync("first");
        await counter.IncrementAndJournalAsync("second");

        var journal = await node.Store.ReadJournalAsync(CounterId("journaled"), default);

        Assert.Equal(["first", "second"], journal.Select(j => JsonDocument.Parse(j.DataJson).RootElement.GetProperty("note").GetString()));
        Assert.Equal([1L, 2L], journal.Select(j => j.Version));
        Assert.All(journal, j => Assert.Equal("test.counter-noted", j.Kind)); // its [Alias], not its class name
    }

    [Fact]
    public async Task State_is_read_tolerantly_missing_fields_get_defaults_and_unknown_fields_are_ignored()
    {
        var node = await NodeAsync();
        await node.Store.CommitAsync(new GrainCommit(CounterId("old-row"), 0, """{"count":41,"retiredField":true}""",
            DateTimeOffset.UtcNow, [], [], [], [], [], null), default);

        var snapshot = await node.Grains.GetGrain<ICounterGrain>("old-row").SnapshotAsync();

        Assert.Equal(41, snapshot.Count);
        Assert.Equal("unnamed", snapshot.Label);
        Assert.Empty(snapshot.Notes);
        Assert.Equal(42, await node.Grains.GetGrain<ICounterGrain>("old-row").IncrementAsync());
    }

    [Fact]
    public async Task Keys_are_kept_verbatim_so_similar_keys_are_different_grains()
    {
        var node = await NodeAsync();
        string[] keys = ["42", "042", "42 ", "order/42", "Ω-42", new string('k', 600)];
        for (var i = 0; i < keys.Length; i++)
            for (var n = 0; n <= i; n++)
                await node.Grains.GetGrain<ICounterGrain>(keys[i]).IncrementAsync();

        for (var i = 0; i < keys.Length; i++)
            Assert.Equal(i + 1, (await node.Store.ReadStateAsync(CounterId(keys[i]), default))!.Version);
    }

    [Fact]
    public async Task Outbox_message_of_a_committed_call_is_dispatched_and_one_of_a_failed_call_is_not()
    {
        var handler = new RecordingHandler();
        var node = await NodeAsync(handler: handler);

        await node.Grains.GetGrain<ICounterGrain>("mailer").IncrementAndSendAsync("hello");
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Grains.GetGrain<ICounterGrain>("mailer").IncrementThenFailAsync());

        await Eventually.TrueAsync(() => !handler.Effects.IsEmpty, because: "the committed message is dispatched");
        await Task.Delay(300);
        var effect = Assert.Single(handler.Effects.Values);
        Assert.Equal(new CounterMessage("hello", "mailer"), effect);
        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Done, 10, default)).Count == 1);
    }

    [Fact]
    public async Task Outbox_failures_are_retried_with_backoff_and_dead_lettered_after_the_last_attempt()
    {
        var flaky = new RecordingHandler { FailTimes = 2 };
        var node = await NodeAsync(o => { o.OutboxRetryBase = TimeSpan.FromMilliseconds(50); o.OutboxMaxAttempts = 3; }, flaky);
        await node.Grains.GetGrain<ICounterGrain>("flaky").IncrementAndSendAsync("eventually");
        await Eventually.TrueAsync(() => !flaky.Effects.IsEmpty, because: "the third attempt succeeds");
        Assert.Equal(3, Assert.Single(flaky.Calls.Values));

        flaky.FailTimes = int.MaxValue;
        await node.Grains.GetGrain<ICounterGrain>("hopeless").IncrementAndSendAsync("never");
        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default)).Count == 1, because: "dead-lettered");
        var dead = Assert.Single(await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default));
        Assert.Equal(3, dead.Attempts);
        Assert.Equal("hopeless", dead.SourceGrainKey);
        Assert.Contains("fails on purpose", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(new OutboxCounts(Pending: 0, Dead: 1), await node.Outbox.CountOutboxAsync(default)); // the courier.outbox.* gauges
    }

    [Fact]
    public async Task Outbox_failure_the_handler_declares_permanent_is_dead_lettered_at_once_with_its_reason()
    {
        var refusing = new RecordingHandler { RefuseForGood = "the recipient does not exist" };
        var node = await NodeAsync(o => { o.OutboxRetryBase = TimeSpan.FromMilliseconds(50); o.OutboxMaxAttempts = 5; }, refusing);

        await node.Grains.GetGrain<ICounterGrain>("refused").IncrementAndSendAsync("nobody");

        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default)).Count == 1, because: "dead-lettered");
        await Task.Delay(300); // several retry delays: none may come
        var dead = Assert.Single(await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default));
        Assert.Equal(1, dead.Attempts);
        Assert.Equal(1, Assert.Single(refusing.Calls.Values));
        Assert.Contains("the recipient does not exist", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatched_messages_are_purged_after_their_retention_and_dead_letters_are_kept()
    {
        var handler = new RecordingHandler { FailTimes = 1 };
        var node = await NodeAsync(o => o.OutboxMaxAttempts = 1, handler);
        await node.Grains.GetGrain<ICounterGrain>("purged").IncrementAndSendAsync("fails once, dead-lettered");
        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default)).Count == 1);
        handler.FailTimes = 0;
        await node.Grains.GetGrain<ICounterGrain>("purged").IncrementAndSendAsync("delivered");
        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Done, 10, default)).Count == 1);

        var kept = await node.Outbox.PurgeDoneMessagesAsync(DateTimeOffset.UtcNow.AddDays(-1), default);
        var purged = await node.Outbox.PurgeDoneMessagesAsync(DateTimeOffset.UtcNow.AddMinutes(1), default);

        Assert.Equal(0, kept);
        Assert.Equal(1, purged);
        Assert.Empty(await node.Outbox.ListOutboxAsync(OutboxStatus.Done, 10, default));
        Assert.Single(await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default));
    }

    [Fact]
    public async Task Outbox_message_is_dispatched_again_when_a_node_dies_after_the_effect_but_before_marking_it_done()
    {
        var handler = new RecordingHandler();
        var shortLease = (Action<RuntimeOptions>)(o => o.OutboxLease = TimeSpan.FromSeconds(1));
        var doomed = await NodeAsync(shortLease, handler);
        var reachedMarkDone = new TaskCompletionSource();
        doomed.Host.Outbox.BeforeMarkDone = _ =>
        {
            reachedMarkDone.TrySetResult();
            return new TaskCompletionSource().Task; // the node "dies" here
        };

        await doomed.Grains.GetGrain<ICounterGrain>("crashy").IncrementAndSendAsync("once");
        await reachedMarkDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await doomed.KillAsync();
        await NodeAsync(shortLease, handler);

        await Eventually.TrueAsync(() => handler.Calls.Values.Sum() >= 2, because: "the surviving node re-dispatches");
        var messageId = Assert.Single(handler.Calls.Keys);
        Assert.Equal(2, handler.Calls[messageId]);
        Assert.Single(handler.Effects);
    }

    [Fact]
    public async Task Outbox_messages_claimed_by_a_node_that_dies_before_dispatching_them_are_dispatched_by_another_once_the_claim_runs_out()
    {
        var claimFor3s = (Action<RuntimeOptions>)(o =>
        {
            o.OutboxLease = TimeSpan.FromSeconds(3);
            o.OutboxHandlerTimeout = TimeSpan.FromSeconds(1);
            o.OutboxConcurrency = 1;
        });
        var stuck = new TaskCompletionSource();
        var doomedHandler = new RecordingHandler { Hold = _ => stuck.Task }; // the outside system hangs; the node's only slot with it
        var doomed = await NodeAsync(claimFor3s, doomedHandler);
        try
        {
            await doomed.Grains.GetGrain<ICounterGrain>("claimed").IncrementAndSendAsync("first");
            await doomed.Grains.GetGrain<ICounterGrain>("claimed").IncrementAndSendAsync("second");
            await doomed.KillAsync();
            var survivor = new RecordingHandler();
            await NodeAsync(claimFor3s, survivor);

            await Eventually.TrueAsync(() => survivor.Effects.Count == 2, TimeSpan.FromSeconds(15), "the claims of the dead node run out");
            Assert.Equal(["first", "second"], survivor.Effects.Values.Select(m => m.Text).Order());
            Assert.Empty(doomedHandler.Effects);
        }
        finally
        {
            stuck.TrySetResult();
        }
    }

    [Fact]
    public async Task Outbox_message_claimed_at_commit_is_left_to_its_node_until_the_claim_runs_out()
    {
        var handler = new RecordingHandler();
        var node = await NodeAsync(handler: handler);
        var message = new OutboxRecord(Guid.CreateVersion7(), OutboxMessageTypes.NameOf(typeof(CounterMessage)),
            JsonSerializer.Serialize(new CounterMessage("someone else's", "elsewhere"), GrainJson.Options));
        var now = DateTimeOffset.UtcNow;
        await node.Store.CommitAsync(new GrainCommit(CounterId("elsewhere"), 0, "{}", now, [], [message], [], [], [], null,
            new OutboxClaim("another-node", now + TimeSpan.FromSeconds(3))), default);

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // fifteen polls of this node
        Assert.Empty(handler.Calls);
        await Eventually.TrueAsync(() => handler.Effects.Count == 1, TimeSpan.FromSeconds(10), "the other node never dispatched it");
        Assert.Equal(1, handler.Calls[message.Id]);
    }

    [Fact]
    public async Task Outbox_messages_a_stopping_node_has_not_dispatched_yet_are_given_back_for_other_nodes_at_once()
    {
        var oneAtATime = (Action<RuntimeOptions>)(o => o.OutboxConcurrency = 1);
        var busy = new TaskCompletionSource();
        var slow = new RecordingHandler
        {
            Hold = token =>
            {
                busy.TrySetResult();
                return Task.Delay(Timeout.Infinite, token); // gives up only when the node stops
            },
        };
        var stopping = await NodeAsync(oneAtATime, slow);
        foreach (var text in new[] { "first", "second", "third" })
            await stopping.Grains.GetGrain<ICounterGrain>("handover").IncrementAndSendAsync(text);
        await busy.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await stopping.Host.StopAsync(CancellationToken.None);
        var next = new RecordingHandler();
        await NodeAsync(handler: next);

        // The claims would last a minute (the default lease); the two never started come back at once.
        await Eventually.TrueAsync(() => next.Effects.Count >= 2, TimeSpan.FromSeconds(10), "the stopping node gave its unstarted messages back");
        Assert.Equal(["second", "third"], next.Effects.Values.Select(m => m.Text).Order());
    }

    [Fact]
    public async Task One_shot_reminder_fires_once()
    {
        var node = await NodeAsync();
        var counter = node.Grains.GetGrain<ICounterGrain>("alarm");

        await counter.RemindOnceAsync("wake", TimeSpan.FromMilliseconds(300));

        await Eventually.TrueAsync(async () => (await counter.SnapshotAsync()).Ticks == 1);
        await Task.Delay(500);
        Assert.Equal(1, (await counter.SnapshotAsync()).Ticks);
        Assert.Empty(await node.Store.ListRemindersAsync(CounterId("alarm"), default));
    }

    [Fact]
    public async Task Reminder_registered_before_a_crash_fires_once_on_a_node_started_after_its_due_time()
    {
        var doomed = await NodeAsync();
        await doomed.Grains.GetGrain<ICounterGrain>("durable").RemindOnceAsync("due-while-down", TimeSpan.FromMilliseconds(800));
        await doomed.KillAsync();
        await Task.Delay(1500);

        var survivor = await NodeAsync();
        var counter = survivor.Grains.GetGrain<ICounterGrain>("durable");

        await Eventually.TrueAsync(async () => (await counter.SnapshotAsync()).Ticks == 1);
        await Task.Delay(600);
        Assert.Equal(1, (await counter.SnapshotAsync()).Ticks);
    }

    [Fact]
    public async Task Two_nodes_run_each_of_200_due_reminders_exactly_once()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        var keys = Enumerable.Range(0, 200).Select(i => $"r{i}").ToArray();
        await Task.WhenAll(keys.Select(k => first.Grains.GetGrain<ICounterGrain>(k).RemindOnceAsync("once", TimeSpan.FromMilliseconds(500))));

        await Eventually.TrueAsync(async () =>
        {
            foreach (var key in keys)
                if ((await first.Store.ListRemindersAsync(CounterId(key), default)).Count > 0) return false;
            return true;
        }, within: TimeSpan.FromSeconds(30), because: "every reminder completes");

        foreach (var key in keys)
        {
            var journal = await first.Store.ReadJournalAsync(CounterId(key), default);
            Assert.Single(journal);
            var stored = await first.Store.ReadStateAsync(CounterId(key), default);
            Assert.Equal(1, JsonDocument.Parse(stored!.Json).RootElement.GetProperty("ticks").GetInt32());
        }
    }

    [Fact]
    public async Task A_reminder_tick_that_throws_comes_back_until_it_succeeds_and_then_never_again()
    {
        var node = await NodeAsync(o => o.ReminderRetry = TimeSpan.FromSeconds(1));
        var key = Key("stubborn");
        var counter = node.Grains.GetGrain<ICounterGrain>(key);
        await counter.FailFirstTicksAsync(2);

        await counter.RemindOnceAsync("retry-me", TimeSpan.FromMilliseconds(100));

        await Eventually.TrueAsync(async () => (await counter.SnapshotAsync()).Ticks == 1, TimeSpan.FromSeconds(15), "the third try succeeds");
        Assert.Equal(3, CounterGrain.TickAttempts[key]);
        Assert.Empty(await node.Store.ListRemindersAsync(CounterId(key), default));
        await Task.Delay(2500); // two retry periods: the reminder is gone from Orleans too
        Assert.Equal(3, CounterGrain.TickAttempts[key]);
    }

    [Fact]
    public async Task Idle_activation_is_collected_and_a_later_call_reactivates_it_with_its_state()
    {
        var node = await NodeAsync();
        var key = Key("sleepy");
        await node.Grains.GetGrain<ICounterGrain>(key).IncrementAsync();
        await node.Grains.GetGrain<ICounterGrain>(key).IncrementAsync();

        await node.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(3, await node.Grains.GetGrain<ICounterGrain>(key).IncrementAsync());
        Assert.Equal(2, CounterGrain.Activations[key].Count);
    }

    [Fact]
    public async Task A_grain_announced_as_new_starts_empty_and_its_first_commit_stores_it()
    {
        var node = await NodeAsync();
        var counter = node.Grains.GetGrain<ICounterGrain>(Key("fresh"));

        int first;
        using (NewGrain.Announce(counter)) first = await counter.IncrementAsync();

        Assert.Equal(1, first);
        Assert.Equal(2, await counter.IncrementAsync());
        Assert.Equal(2, (await node.Store.ReadStateAsync(CounterId(counter.GetPrimaryKeyString()), default))!.Version);
    }

    [Fact]
    public async Task A_grain_announced_as_new_that_was_stored_after_all_runs_the_call_again_on_its_stored_state_with_its_effects_once()
    {
        var handler = new RecordingHandler();
        var node = await NodeAsync(handler: handler);
        var key = Key("repeat");
        var counter = node.Grains.GetGrain<ICounterGrain>(key);
        await counter.IncrementAndJournalAsync("first");
        await node.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // A caller that believes the key is its own invention (a webhook retried after the grain went idle).
        using (NewGrain.Announce(counter))
        {
            await counter.IncrementAndJournalAsync("second");
            await counter.IncrementAndSendAsync("sent once");
        }

        var stored = await counter.SnapshotAsync();
        Assert.Equal(3, stored.Count);
        Assert.Equal(["first", "second"], stored.Notes);
        Assert.Equal(3, (await node.Store.ReadStateAsync(CounterId(key), default))!.Version);
        Assert.Equal(["first", "second"], (await node.Store.ReadJournalAsync(CounterId(key), default)).Select(e => JsonDocument.Parse(e.DataJson).RootElement.GetProperty("note").GetString()));
        await Eventually.TrueAsync(() => !handler.Effects.IsEmpty, because: "the committed message is dispatched");
        await Task.Delay(500);
        Assert.Equal("sent once", Assert.Single(handler.Effects.Values).Text);
    }

    [Fact]
    public async Task An_announcement_names_one_grain_and_ends_with_its_scope()
    {
        var node = await NodeAsync();
        var management = node.Grains.GetGrain<IManagementGrain>(0);
        var stored = node.Grains.GetGrain<ICounterGrain>(Key("stored"));
        await stored.IncrementAsync();
        await management.ForceActivationCollection(TimeSpan.Zero);

        // Read-only calls trust an announcement (they commit nothing that could conflict), so a
        // stray one would show 0 here.
        using (NewGrain.Announce(node.Grains.GetGrain<ICounterGrain>(Key("other"))))
            Assert.Equal(1, await stored.GetAsync());
        await management.ForceActivationCollection(TimeSpan.Zero);
        using (NewGrain.Announce(stored)) { }

        Assert.Equal(1, await stored.GetAsync());
    }

    [Fact]
    public async Task Collections_made_with_collection_expressions_cross_between_silos_as_arguments_and_results()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        var keys = Enumerable.Range(0, 20).Select(i => Key($"listed{i}")).ToArray();
        await Task.WhenAll(keys.Select(k => first.Grains.GetGrain<ICounterGrain>(k).IncrementAsync()));
        var firstSilo = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
        // Each grain is called from the silo it does not live on, wherever placement put it, so every call crosses.
        IGrainFactory Other(string key) => CounterGrain.Activations[key].Single() == firstSilo ? second.Grains : first.Grains;

        var sums = await Task.WhenAll(keys.Select(k => Other(k).GetGrain<ICounterGrain>(k).AddAllAsync([.. Enumerable.Range(1, 3)])));
        var histories = await Task.WhenAll(keys.Select(k => Other(k).GetGrain<ICounterGrain>(k).HistoryAsync()));

        Assert.All(sums, sum => Assert.Equal(7, sum));
        Assert.All(histories, history => Assert.Equal([1, 2, 3, 4, 5, 6, 7], history));
    }

    [Fact]
    public async Task A_call_cycle_fails_at_once_naming_the_cycle_and_the_silo_stays_healthy()
    {
        var node = await NodeAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<GrainCallCycleException>(() => node.Grains.GetGrain<ICounterGrain>("A").CallThroughAsync("B"));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), "the cycle is found, not waited out (call timeout 30 s)");
        Assert.Contains("call cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.counter/A → test.counter/B → test.counter/A", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await node.Grains.GetGrain<ICounterGrain>("A").IncrementAsync());
        Assert.Equal(1, await node.Grains.GetGrain<ICounterGrain>("B").IncrementAsync());
    }

    [Fact]
    public async Task Live_update_is_published_after_commit_with_the_committed_version_and_reaches_the_other_silo()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        var seen = new ConcurrentDictionary<string, (LiveUpdate Update, long StoredVersion)>();
        IDisposable Watch(TestSilo node) => node.LiveUpdates.Subscribe(async u =>
        {
            var stored = await node.Store.ReadStateAsync(CounterId("watched"), default);
            seen.TryAdd(node.NodeName, (u, stored?.Version ?? 0));
        });
        using var onFirst = Watch(first);
        using var onSecond = Watch(second);

        await first.Grains.GetGrain<ICounterGrain>("watched").IncrementAsync();
        await first.Grains.GetGrain<ICounterGrain>("watched").IncrementAndPublishAsync();

        // Orleans placed the grain on one silo; the event is published there and relayed to the other.
        await Eventually.TrueAsync(() => seen.Count == 2, TimeSpan.FromSeconds(5), "both silos' buses get the event");
        var committedOn = seen[first.NodeName].Update.Node;
        Assert.Contains(committedOn, new[] { first.NodeName, second.NodeName });
        foreach (var (update, storedVersion) in seen.Values)
        {
            Assert.Equal(committedOn, update.Node);
            Assert.Equal(2, update.Version);
            Assert.Equal(2, storedVersion); // published only after the commit
            Assert.Equal("counterChanged", update.Kind);
            Assert.Equal(["counter:watched"], update.Topics);
            Assert.Equal(2, update.Data.GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task Version_seen_by_the_grain_is_the_one_its_commit_gets()
    {
        var node = await NodeAsync();
        var counter = node.Grains.GetGrain<ICounterGrain>("versioned");

        Assert.Equal(1, await counter.IncrementAndReportVersionAsync());
        Assert.Equal(2, await counter.IncrementAndReportVersionAsync());
        Assert.Equal(2, (await node.Store.ReadStateAsync(CounterId("versioned"), default))!.Version);
    }
}
