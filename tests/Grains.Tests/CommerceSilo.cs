using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;
using Courier.Grains;
using Courier.Grains.Mail;
using Courier.Grains.Orders;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Text.Json;

namespace Courier.Grains.Tests;

/// <summary>
/// One silo node with every commerce grain on the in-memory store, a clock the tests move, and
/// recording stand-ins for the mail server and the payment provider. Shared by the tests of a
/// class: each test uses its own keys.
/// </summary>
public sealed class CommerceSilo : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);
    public RecordingOutboxHandler<SendEmail> Mail { get; } = new();
    public RecordingOutboxHandler<EmptyCheckedOutCart> CartsToEmpty { get; } = new();
    public RecordingOutboxHandler<ReconcilePayment> Reconciliations { get; } = new();
    public RecordingOutboxHandler<Courier.Grains.Deliveries.StartDelivery> DeliveriesToStart { get; } = new();
    public RecordingOutboxHandler<Courier.Grains.Deliveries.RevokeDelivery> DeliveriesToRevoke { get; } = new();
    public TestSilo Silo { get; private set; } = null!;
    public IGrainFactory Grains => Silo.Grains;
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Moves the clock on and delivers the reminder ticks that came due by it (Orleans' reminders run on real time).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Silo.FireDueRemindersAsync();
    }

    public async Task InitializeAsync() =>
        Silo = await TestSilo.StartAsync(new InMemoryStore(), services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(Mail);
            services.AddOutboxHandler<SendEmail, RecordingOutboxHandler<SendEmail>>();
            services.AddSingleton(CartsToEmpty);
            services.AddOutboxHandler<EmptyCheckedOutCart, RecordingOutboxHandler<EmptyCheckedOutCart>>();
            services.AddSingleton(Reconciliations);
            services.AddOutboxHandler<ReconcilePayment, RecordingOutboxHandler<ReconcilePayment>>();
            services.AddSingleton(DeliveriesToStart);
            services.AddOutboxHandler<Courier.Grains.Deliveries.StartDelivery, RecordingOutboxHandler<Courier.Grains.Deliveries.StartDelivery>>();
            services.AddSingleton(DeliveriesToRevoke);
            services.AddOutboxHandler<Courier.Grains.Deliveries.RevokeDelivery, RecordingOutboxHandler<Courier.Grains.Deliveries.RevokeDelivery>>();
            services.AddOutboxHandler<Courier.Grains.Carts.ClearMergedCart, Courier.Silo.Commerce.ClearMergedCartHandler>();
        });

    public Task DisposeAsync() => Silo.DisposeAsync().AsTask();

    public static string NewKey(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static ProductDraft Draft(long price = 4900, int? stockLimit = null, string currency = "usd", string title = "Aurora SaaS starter") =>
        new("aurora-saas", title, "A starter kit.", "# Aurora", ["/img/aurora.png"], new Money(price, currency),
            DeliveryKind.Download, stockLimit, null, ["saas"]);

    /// <summary>Saves an active product under a fresh id and returns the id.</summary>
    public async Task<string> NewProductAsync(long price = 4900, int? stockLimit = null, string currency = "usd")
    {
        var id = NewKey("prod");
        await Grains.GetGrain<IProductGrain>(id).SaveAsync(Draft(price, stockLimit, currency));
        return id;
    }

    /// <summary>Every outbox message of type <typeparamref name="TMessage"/> a grain with this key sent, whatever its dispatch status.</summary>
    public async Task<IReadOnlyList<TMessage>> SentByAsync<TMessage>(string grainKey)
    {
        var type = StoredName.Of<TMessage>();
        // Listed status by status (pending first) while the dispatcher moves messages on: a message
        // delivered in between shows up twice, so count each message id once.
        var sent = new Dictionary<Guid, TMessage>();
        foreach (var status in Enum.GetValues<OutboxStatus>())
        {
            foreach (var envelope in await Silo.Outbox.ListOutboxAsync(status, 100_000, CancellationToken.None))
            {
                if (envelope.MessageType == type && envelope.SourceGrainKey == grainKey)
                    sent.TryAdd(envelope.Id, JsonSerializer.Deserialize<TMessage>(envelope.PayloadJson, GrainJson.Options)!);
            }
        }
        return [.. sent.Values];
    }

    internal Task<IReadOnlyList<ReminderRecord>> RemindersAsync<TGrain>(string key) =>
        Silo.Store.ListRemindersAsync(new GrainName(GrainName.TypeOf(typeof(TGrain)), key), CancellationToken.None);

    internal Task<IReadOnlyList<JournalEntryRecord>> JournalAsync<TGrain>(string key) =>
        Silo.Store.ReadJournalAsync(new GrainName(GrainName.TypeOf(typeof(TGrain)), key), CancellationToken.None);
}
