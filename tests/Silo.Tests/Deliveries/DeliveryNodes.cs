using System.Collections.Concurrent;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;
using Courier.Grains;
using Courier.Grains.Deliveries;
using Courier.Grains.Mail;
using Courier.Silo.Accounts;
using Courier.Silo.Adapters.Mail;
using Courier.Silo.Audit;
using Courier.Silo.Commerce;
using Courier.Silo.Deliveries;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Silo.Tests.Deliveries;

/// <summary>
/// Silo nodes with the whole delivery machinery on one PostgreSQL database, as the product wires
/// it (<see cref="DeliveryServiceCollectionExtensions.AddCourierDeliveries"/>): real provisioners
/// with files in a temporary folder, e-mail into the database mailbox, the Data Protection key
/// ring in PostgreSQL, and a clock the tests move. Every live event of every node is recorded.
/// </summary>
public sealed class DeliveryNodes : IAsyncDisposable
{
    private readonly List<TestSilo> nodes = [];
    private readonly ConcurrentQueue<LiveUpdate> updates = new();
    private readonly List<IDisposable> subscriptions = [];

    private DeliveryNodes(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    public string FilesRoot { get; } = Path.Combine(Path.GetTempPath(), $"courier-files-{Guid.NewGuid():N}");

    private int mailerCalls;

    /// <summary>Every e-mail handed to a node's mailer, repeats included (the mailbox keeps one per message id).</summary>
    public int MailerCalls => Volatile.Read(ref mailerCalls);

    public static async Task<DeliveryNodes> CreateAsync() => new(await TestDatabase.CreateAsync());

    public TestSilo Node => nodes[^1];
    public IGrainFactory Grains => Node.Grains;
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Moves the clock on and delivers the reminder ticks that came due by it (Orleans' reminders run on real time).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Node.FireDueRemindersAsync();
    }

    /// <summary>Starts another node on the same database.</summary>
    public async Task<TestSilo> StartNodeAsync(Action<Courier.Silo.Grains.RuntimeOptions>? runtime = null, Action<IServiceCollection>? services = null)
    {
        Directory.CreateDirectory(FilesRoot);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{FileStoreOptions.Section}:Root"] = FilesRoot,
        }).Build();
        var node = await TestSilo.StartAsync(Database.ConnectionString, nodeServices =>
        {
            services?.Invoke(nodeServices);
            nodeServices.AddSingleton<TimeProvider>(Clock);
            nodeServices.AddReadModelWriter<AuditEntryWriter>();
            nodeServices.AddReadModelWriter<CatalogRowWriter>();
            nodeServices.AddReadModelWriter<AccountRowWriter>();
            nodeServices.AddReadModelWriter<OrderRowWriter>(); // hosted-site accounts are made for an order's customer
            nodeServices.AddOptions<MailOptions>();
            nodeServices.AddSingleton<DatabaseMailbox>();
            nodeServices.AddSingleton<IMailer>(sp => new CountingMailer(sp.GetRequiredService<DatabaseMailbox>(), () => Interlocked.Increment(ref mailerCalls)));
            nodeServices.AddCourierDeliveries(configuration);
        }, runtime);
        subscriptions.Add(node.LiveUpdates.Subscribe(update =>
        {
            updates.Enqueue(update);
            return ValueTask.CompletedTask;
        }));
        nodes.Add(node);
        return node;
    }

    public IReadOnlyList<LiveUpdate> Notifications(string deliveryId) =>
        [.. updates.Where(u => u.Kind == "notification" && u.Source.EndsWith($"/{deliveryId}", StringComparison.Ordinal))];

    public async Task<string> NewDownloadProductAsync(int? downloadLimit = null)
    {
        var id = $"prod_{Guid.NewGuid():N}"[..17];
        var file = $"products/{id}/template.zip";
        var path = Path.Combine(FilesRoot, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [80, 75, 3, 4, 1, 2, 3]);
        await Grains.GetGrain<IProductGrain>(id).SaveAsync(new ProductDraft(id.Replace('_', '-'), "Aurora SaaS kit", "A kit.", "# Aurora", ["/img/a.png"],
            new Money(4900, "usd"), DeliveryKind.Download, null, null, ["saas"], DownloadFile: file, DownloadLimit: downloadLimit));
        return id;
    }

    /// <summary>Starts the delivery of a paid line (as the order's StartDelivery message does) and waits until it is ready.</summary>
    public async Task<DeliveryView> DeliverAsync(string productId, DeliveryKind kind, string? accountId = null, string email = "ada@example.com")
    {
        var orderId = $"ord_{Guid.NewGuid():N}";
        var start = new StartDelivery(orderId, 1, productId, "Aurora SaaS kit", kind, accountId, email, Now);
        await Node.Services.GetRequiredService<StartDeliveryHandler>().HandleAsync(start, default!, CancellationToken.None);
        return await UntilAsync(start.DeliveryId, DeliveryStatus.Ready);
    }

    public async Task<DeliveryView> UntilAsync(string deliveryId, DeliveryStatus status)
    {
        DeliveryView? view = null;
        await Eventually.TrueAsync(async () => (view = await Grains.GetGrain<IDeliveryGrain>(deliveryId).GetAsync())?.Status == status,
            TimeSpan.FromSeconds(20), $"delivery {deliveryId} reaches {status}; it is {view?.Status}");
        return view!;
    }

    /// <summary>The mailbox's e-mails about an order, oldest first.</summary>
    public async Task<IReadOnlyList<MailboxEntry>> MailAsync(string orderId) =>
        [.. (await Node.Services.GetRequiredService<DatabaseMailbox>().ListAsync(null, 1000, CancellationToken.None))
            .Where(m => m.OrderId == orderId).OrderBy(m => m.SentAt).ThenBy(m => m.Kind, StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions) subscription.Dispose();
        foreach (var node in nodes) await node.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(FilesRoot)) Directory.Delete(FilesRoot, recursive: true);
    }

    private sealed class CountingMailer(IMailer inner, Action counted) : IMailer
    {
        public Task SendAsync(OutgoingEmail email, Guid messageId, CancellationToken cancellationToken)
        {
            counted();
            return inner.SendAsync(email, messageId, cancellationToken);
        }
    }
}
