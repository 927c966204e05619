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
        await first.Grains.GetGrain<IDeliveryGrain>("ord_crash:1").StartAsync(request);
        await Eventually.TrueAsync(async () => (await first.Grains.GetGrain<IDeliveryGrain>("ord_crash:1").GetAsync())!.Status == DeliveryStatus.Retrying,
            because: "the empty pool fails the first attempt");
        await first.KillAsync();

        var second = await NodeAsync();
        await second.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_crash").AddKeysAsync(["CRASH-0001", "CRASH-0002", "CRASH-0003"]);
        clock.Advance(TimeSpan.FromSeconds(10));

        var delivery = second.Grains.GetGrain<IDeliveryGrain>("ord_crash:1");
        await Eventually.TrueAsync(async () => (await delivery.GetAsync())!.Status == DeliveryStatus.Ready, TimeSpan.FromSeconds(20),
            "the surviving node runs the retry");
        var view = (await delivery.GetAsync())!;
        Assert.Equal("CRASH-0001", view.LicenseKey);
        Assert.Equal(2, view.Attempt);
        Assert.Equal(new LicenseKeyPoolView("prod_crash", 2, 1, 0), await second.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_crash").GetAsync());
        Assert.Equal("Ready", await database.ScalarAsync<string>("SELECT status FROM deliveries WHERE id = 'ord_crash:1'"));
    }

    [Fact]
    public async Task Deliveries_retrying_on_a_silo_killed_beside_a_live_one_each_complete_once_on_the_survivor()
    {
        var doomed = await NodeAsync();
        var survivor = await NodeAsync();
        var ids = Enumerable.Range(1, 8).Select(i => $"ord_pair_{i}:1").ToArray();
        foreach (var id in ids)
        {
            var orderId = id[..id.IndexOf(':', StringComparison.Ordinal)];
            await doomed.Grains.GetGrain<IDeliveryGrain>(id).StartAsync(new DeliveryRequest(orderId, 1, "prod_pair", "Pair licence", DeliveryKind.LicenseKey, null,
                "ada@example.com", clock.GetUtcNow(), TimeSpan.FromHours(1), new RetrySchedule([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)])));
        }
        await Eventually.TrueAsync(async () =>
        {
            foreach (var id in ids)
                if ((await doomed.Grains.GetGrain<IDeliveryGrain>(id).GetAsync())!.Status != DeliveryStatus.Retrying) return false;
            return true;
        }, because: "the empty pool fails every first attempt, on whichever silo Orleans placed each delivery");

        await doomed.KillAsync(); // no goodbye: the survivor must find out
        await survivor.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_pair").AddKeysAsync([.. Enumerable.Range(1, 10).Select(i => $"PAIR-{i:0000}")]);
        clock.Advance(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                foreach (var id in ids)
                    if ((await survivor.Grains.GetGrain<IDeliveryGrain>(id).GetAsync())!.Status != DeliveryStatus.Ready) return false;
                return true;
            }
            catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                return false; // a call to a grain of the dead silo, before the survivor has declared it dead
            }
        }, TimeSpan.FromSeconds(45), "the survivor runs every retry once the dead silo is declared dead");
        var keys = new List<string>();
        foreach (var id in ids)
        {
            var view = (await survivor.Grains.GetGrain<IDeliveryGrain>(id).GetAsync())!;
            Assert.Equal(2, view.Attempt);
            keys.Add(view.LicenseKey!);
        }
        Assert.Equal(ids.Length, keys.Distinct().Count()); // one key each, none handed out twice
        Assert.Equal(new LicenseKeyPoolView("prod_pair", 2, ids.Length, 0), await survivor.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_pair").GetAsync());
        Assert.Equal(ids.Length, await database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE id LIKE 'ord_pair_%' AND status = 'Ready'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM reminders WHERE grain_key LIKE 'ord_pair_%' AND name = 'retry'"));
    }
}
