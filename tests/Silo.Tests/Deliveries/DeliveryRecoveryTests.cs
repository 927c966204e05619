using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Grains;
using Courier.Grains.Deliveries;
using Courier.Silo.Deliveries;
using Courier.Silo.Hosting;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Silo.Tests.Deliveries;

/// <summary>Deliveries on PostgreSQL survive a node dying mid-retry: the next node finishes them, once.</summary>
public sealed class DeliveryRecoveryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly List<TestSilo> nodes = [];
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in nodes) await node.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<TestSilo> NodeAsync()
    {
        var node = await TestSilo.StartAsync(database.ConnectionString, services =>
        {
            services.AddGrainsFrom(typeof(GrainsAssembly).Assembly);
            services.AddSingleton<TimeProvider>(clock);
            services.AddReadModelWriter<DeliveryRowWriter>();
            services.AddReadModelWriter<TechnicianAssignmentWriter>();
            services.AddSingleton<IDeliveryProvisioner, LicenseKeyProvisioner>();
            services.AddOutboxHandler<ProvisionDelivery, ProvisionDeliveryHandler>();
            services.AddOutboxHandler<DisableLicenseKey, DisableLicenseKeyHandler>();
        });
        nodes.Add(node);
        return node;
    }

    [Fact]
    public async Task Delivery_retrying_when_its_node_dies_completes_once_on_the_next_node()
    {
        var first = await NodeAsync();
        var request = new DeliveryRequest("ord_crash", 1, "prod_crash", "Crash licence", DeliveryKind.LicenseKey, null, "ada@example.com",
            clock.GetUtcNow(), TimeSpan.FromHours(1), new RetrySchedule([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)]));
        await first.Grains.Get<IDeliveryGrain>("ord_crash:1").Start(request);
        await Eventually.TrueAsync(async () => (await first.Grains.Get<IDeliveryGrain>("ord_crash:1").Get())!.Status == DeliveryStatus.Retrying,
            because: "the empty pool fails the first attempt");
        first.Kill();

        var second = await NodeAsync();
        await second.Grains.Get<ILicenseKeyPoolGrain>("prod_crash").AddKeys(["CRASH-0001", "CRASH-0002", "CRASH-0003"]);
        clock.Advance(TimeSpan.FromSeconds(10));

        var delivery = second.Grains.Get<IDeliveryGrain>("ord_crash:1");
        await Eventually.TrueAsync(async () => (await delivery.Get())!.Status == DeliveryStatus.Ready, TimeSpan.FromSeconds(20),
            "the surviving node runs the retry");
        var view = (await delivery.Get())!;
        Assert.Equal("CRASH-0001", view.LicenseKey);
        Assert.Equal(2, view.Attempt);
        Assert.Equal(new LicenseKeyPoolView("prod_crash", 2, 1, 0), await second.Grains.Get<ILicenseKeyPoolGrain>("prod_crash").Get());
        Assert.Equal("Ready", await database.ScalarAsync<string>("SELECT status FROM deliveries WHERE id = 'ord_crash:1'"));
    }
}
