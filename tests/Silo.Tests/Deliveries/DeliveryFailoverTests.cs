using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Grains.Deliveries;
using Courier.Silo.Deliveries;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Xunit.Abstractions;

namespace Courier.Silo.Tests.Deliveries;

/// <summary>
/// The whole delivery machinery on two nodes, one of which is killed while its deliveries wait to
/// retry — an in-process silo stopped as a crash, or the real app in its own process killed with
/// SIGKILL: each delivery finishes on the survivor exactly once — one licence key, one hosted-site
/// account, one "ready" e-mail.
/// </summary>
public sealed class DeliveryFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private DeliveryNodes nodes = null!;

    public async Task InitializeAsync() => nodes = await DeliveryNodes.CreateAsync();

    public async Task DisposeAsync() => await nodes.DisposeAsync();

    [Fact]
    public async Task Site_and_key_deliveries_retrying_on_a_killed_node_each_complete_once_on_the_survivor()
    {
        var doomed = await nodes.StartNodeAsync();
        await nodes.StartNodeAsync(); // the survivor: nodes.Grains from here on
        var starts = await StartRetryingDeliveriesAsync(doomed.Services.GetRequiredService<StartDeliveryHandler>());

        var doomedSilo = doomed.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await doomed.KillAsync(); // no draining, no goodbye from Courier's side of the node
        var membership = nodes.Node.Services.GetRequiredService<IClusterMembershipService>();
        await Eventually.TrueAsync(() => membership.CurrentSnapshot.GetSiloStatus(doomedSilo) == SiloStatus.Dead, TimeSpan.FromSeconds(60),
            "the survivor declares the killed silo dead");

        await AssertEachCompletesOnceAsync(starts, attempts: 2);
    }

    [Fact]
    public async Task Site_and_key_deliveries_retrying_on_an_app_process_killed_with_SIGKILL_each_complete_once_on_the_survivor()
    {
        nodes.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app process keeps the real clock; the survivor's starts from it
        // Random placement on the survivor, so that some of the deliveries it starts live in the app process
        // (all sixteen stay on the survivor once in 65,536 runs).
        var survivor = await nodes.StartNodeAsync(services: services => services.AddSingleton<PlacementStrategy, RandomPlacement>());
        using var victim = Cluster.AppNodeProcess.Start(nodes.Database.ConnectionString,
            new Dictionary<string, string> { ["Courier__Files__Root"] = nodes.FilesRoot });
        try
        {
            var membership = survivor.Services.GetRequiredService<IClusterMembershipService>();
            var survivorSilo = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            await Eventually.TrueAsync(() => membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2,
                TimeSpan.FromSeconds(90), "the app process joins the survivor's cluster");
            var victimSilo = membership.CurrentSnapshot.Members.Values.Single(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(survivorSilo)).SiloAddress;
            var starts = await StartRetryingDeliveriesAsync(survivor.Services.GetRequiredService<StartDeliveryHandler>());
            var statistics = await nodes.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
            var inVictim = statistics.Where(g => g.SiloAddress.Equals(victimSilo) && g.GrainId.Type.ToString() == "Courier.Grains.Deliveries.DeliveryGrain")
                .Select(g => g.GrainId.Key.ToString()).ToHashSet();
            Assert.Contains(starts, start => inVictim.Contains(start.DeliveryId)); // some deliveries wait to retry in the process about to die

            victim.Kill(entireProcessTree: true); // SIGKILL: its connections just end, nothing more is written
            var sinceKill = System.Diagnostics.Stopwatch.StartNew();
            await Eventually.TrueAsync(() => membership.CurrentSnapshot.GetSiloStatus(victimSilo) == SiloStatus.Dead, TimeSpan.FromSeconds(60),
                "the survivor's probes go unanswered and it declares the process dead");
            output.WriteLine($"{starts.Count(s => inVictim.Contains(s.DeliveryId))} of {starts.Length} deliveries lived in the killed process; declared dead {sinceKill.Elapsed.TotalSeconds:0.0} s after SIGKILL");

            await AssertEachCompletesOnceAsync(starts, attempts: null); // the app process retried on real time before it died
        }
        finally
        {
            if (!victim.HasExited) victim.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Eight hosted-site and eight licence-key deliveries started through <paramref name="handler"/>, all waiting to retry: no site files, no keys yet.</summary>
    private async Task<StartDelivery[]> StartRetryingDeliveriesAsync(StartDeliveryHandler handler)
    {
        await nodes.Grains.GetGrain<IProductGrain>("prod_site_fo").SaveAsync(new ProductDraft("site-fo", "Studio site", "A hosted site.", "# Studio",
            ["/img/s.png"], new Money(9900, "usd"), DeliveryKind.SiteAccess, null, null, ["site"], DownloadFile: SiteFiles));
        await nodes.Grains.GetGrain<IProductGrain>("prod_key_fo").SaveAsync(new ProductDraft("key-fo", "Studio licence", "A licence.", "# Licence",
            ["/img/k.png"], new Money(4900, "usd"), DeliveryKind.LicenseKey, null, null, ["key"]));
        var starts = Enumerable.Range(1, 16).Select(i => i % 2 == 0
            ? new StartDelivery($"ord_fo_site_{i}", 1, "prod_site_fo", "Studio site", DeliveryKind.SiteAccess, $"acc_{i}", $"buyer{i}@example.com", nodes.Now)
            : new StartDelivery($"ord_fo_key_{i}", 1, "prod_key_fo", "Studio licence", DeliveryKind.LicenseKey, $"acc_{i}", $"buyer{i}@example.com", nodes.Now)).ToArray();
        foreach (var start in starts.Where(s => s.Kind == DeliveryKind.SiteAccess)) // a site account is made for the order's customer
            await nodes.Grains.GetGrain<IOrderGrain>(start.OrderId).PlaceAsync(new PlaceOrder($"cart_{start.OrderId}", start.AccountId, start.Email,
                [new OrderLineDraft(start.ProductId, "site-fo", start.ProductTitle, new Money(9900, "usd"), 1, DeliveryKind.SiteAccess, false)],
                null, new Money(9900, "usd"), new Money(0, "usd"), new Money(9900, "usd"), nodes.Now.AddHours(1)));
        foreach (var start in starts) await handler.HandleAsync(start, default!, CancellationToken.None);
        foreach (var start in starts) await nodes.UntilAsync(start.DeliveryId, DeliveryStatus.Retrying);
        return starts;
    }

    private const string SiteFiles = "products/prod_site_fo/site.zip";

    /// <summary>The site's files and the keys arrive; every delivery becomes ready on the survivor with one key, one site account and one "ready" e-mail.</summary>
    private async Task AssertEachCompletesOnceAsync(StartDelivery[] starts, int? attempts)
    {
        var path = Path.Combine(nodes.FilesRoot, SiteFiles);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]); // an empty zip: the site's files arrive
        await nodes.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_key_fo").AddKeysAsync([.. Enumerable.Range(1, 20).Select(i => $"FO-{i:0000}")]);
        await Eventually.TrueAsync(async () =>
        {
            await nodes.AdvanceAsync(TimeSpan.FromSeconds(30));
            foreach (var start in starts)
                if ((await nodes.Grains.GetGrain<IDeliveryGrain>(start.DeliveryId).GetAsync())!.Status != DeliveryStatus.Ready) return false;
            return true;
        }, TimeSpan.FromSeconds(45), "the survivor runs every retry once the dead silo is declared dead");

        var keys = new List<string>();
        foreach (var start in starts)
        {
            var view = (await nodes.Grains.GetGrain<IDeliveryGrain>(start.DeliveryId).GetAsync())!;
            if (attempts is { } expected) Assert.Equal(expected, view.Attempt);
            if (start.Kind == DeliveryKind.LicenseKey) keys.Add(view.LicenseKey!);
            else Assert.Equal(1L, await nodes.Database.ScalarAsync<long>(
                "SELECT count(*) FROM hosted_sites WHERE delivery_id = $1 AND credentials_version = 1 AND revoked_at IS NULL", start.DeliveryId));
        }
        Assert.Equal(8, keys.Distinct().Count()); // one key each, none handed out twice
        Assert.Equal(new LicenseKeyPoolView("prod_key_fo", 12, 8, 0), await nodes.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_key_fo").GetAsync());
        Assert.Equal(8L, await nodes.Database.ScalarAsync<long>("SELECT count(*) FROM hosted_sites WHERE order_id LIKE 'ord_fo_site_%'"));
        Assert.Equal(0L, await nodes.Database.ScalarAsync<long>("SELECT count(*) FROM reminders WHERE grain_key LIKE 'ord_fo_%' AND name = 'retry'"));
        await Eventually.TrueAsync(async () =>
        {
            await nodes.AdvanceAsync(TimeSpan.FromSeconds(30));
            foreach (var start in starts)
                if (!(await nodes.MailAsync(start.OrderId)).Any(m => m.Kind == "delivery-ready")) return false;
            return true;
        }, TimeSpan.FromSeconds(30), "every delivery sends its ready e-mail");
        foreach (var start in starts)
            Assert.Single(await nodes.MailAsync(start.OrderId), m => m.Kind == "delivery-ready");
    }
}
