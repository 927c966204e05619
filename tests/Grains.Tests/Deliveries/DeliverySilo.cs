using System.Collections.Concurrent;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Grains.Deliveries;
using Courier.Silo.Deliveries;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Grains.Tests.Deliveries;

/// <summary>
/// One silo node with the delivery machinery on the in-memory store: the real download and
/// licence key provisioners (files in a temporary folder), a scripted hosted-site provisioner,
/// a clock the tests move, and every live event recorded.
/// </summary>
public sealed class DeliverySilo : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<LiveUpdate> updates = new();
    private IDisposable? subscription;

    public FakeTimeProvider Clock { get; } = new(Start);
    public ScriptedProvisioner Sites { get; } = new(DeliveryKind.SiteAccess);
    public RecordingOutboxHandler<SendDeliveryEmail> Emails { get; } = new();
    public string FilesRoot { get; } = Path.Combine(Path.GetTempPath(), $"courier-files-{Guid.NewGuid():N}");
    internal InMemoryStore Store { get; } = new();
    public TestSilo Silo { get; private set; } = null!;
    public IGrainFactory Grains => Silo.Grains;
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Moves the clock on and delivers the reminder ticks that came due by it (Orleans' reminders run on real time).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Silo.FireDueRemindersAsync();
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FilesRoot);
        Silo = await TestSilo.StartAsync(Store, services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IOptions<FileStoreOptions>>(Options.Create(new FileStoreOptions { Root = FilesRoot }));
            services.AddSingleton<IFileStore, LocalFileStore>();
            services.AddSingleton<IDeliveryProvisioner, DownloadProvisioner>();
            services.AddSingleton<IDeliveryProvisioner, LicenseKeyProvisioner>();
            services.AddSingleton<IDeliveryProvisioner>(Sites);
            services.AddOutboxHandler<StartDelivery, StartDeliveryHandler>();
            services.AddOutboxHandler<ProvisionDelivery, ProvisionDeliveryHandler>();
            services.AddOutboxHandler<DisableLicenseKey, DisableLicenseKeyHandler>();
            services.AddSingleton(Emails);
            services.AddOutboxHandler<SendDeliveryEmail, RecordingOutboxHandler<SendDeliveryEmail>>();
        });
        subscription = Silo.LiveUpdates.Subscribe(update =>
        {
            updates.Enqueue(update);
            return ValueTask.CompletedTask;
        });
    }

    public async Task DisposeAsync()
    {
        subscription?.Dispose();
        await Silo.DisposeAsync();
        Directory.Delete(FilesRoot, recursive: true);
    }

    /// <summary>The live events about one delivery (or one pool), in publishing order.</summary>
    public IReadOnlyList<LiveUpdate> UpdatesFrom(string grainKey) => [.. updates.Where(u => u.Source.EndsWith($"/{grainKey}", StringComparison.Ordinal))];

    public static string NewKey(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public DeliveryRequest Request(string productId, DeliveryKind kind, TimeSpan? sla = null, RetrySchedule? retries = null, string? orderId = null) =>
        new(orderId ?? NewKey("ord"), 1, productId, $"Product {productId}", kind, "acc_ada", "ada@example.com", Now, sla ?? TimeSpan.FromMinutes(5), retries);

    public async Task<string> NewDownloadProductAsync(bool withFile)
    {
        var id = NewKey("prod");
        var file = $"products/{id}/template.zip";
        if (withFile)
        {
            var path = Path.Combine(FilesRoot, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [1, 2, 3]);
        }
        await Grains.GetGrain<IProductGrain>(id).SaveAsync(new ProductDraft("aurora-" + id[5..], "Aurora", "A kit.", "# Aurora", ["/img/a.png"],
            new Courier.Abstractions.Commerce.Money(4900, "usd"), DeliveryKind.Download, null, null, ["saas"], DownloadFile: file));
        return id;
    }

    /// <summary>Starts a delivery keyed by its request and waits until it reaches <paramref name="status"/>.</summary>
    public async Task<IDeliveryGrain> StartAsync(DeliveryRequest request, params DeliveryStatus[] untilOneOf)
    {
        var delivery = Grains.GetGrain<IDeliveryGrain>(new DeliveryId(request.OrderId, request.Line).ToString());
        await delivery.StartAsync(request);
        if (untilOneOf.Length > 0) await UntilAsync(delivery, untilOneOf);
        return delivery;
    }

    public static async Task<DeliveryView> UntilAsync(IDeliveryGrain delivery, params DeliveryStatus[] statuses)
    {
        DeliveryView? view = null;
        await Eventually.TrueAsync(async () =>
        {
            view = await delivery.GetAsync();
            return view is not null && statuses.Contains(view.Status);
        }, TimeSpan.FromSeconds(20), $"the delivery reaches {string.Join(" or ", statuses)}; it is {view}");
        return view!;
    }

    internal Task<IReadOnlyList<JournalEntryRecord>> JournalAsync(string deliveryId) =>
        Silo.Store.ReadJournalAsync(new GrainName(GrainName.TypeOf(typeof(DeliveryGrain)), deliveryId), CancellationToken.None);
}
