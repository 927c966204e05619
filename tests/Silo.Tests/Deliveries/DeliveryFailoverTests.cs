using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Grains.Deliveries;
using Courier.Silo.Deliveries;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Deliveries;

/// <summary>
/// The whole delivery machinery on two real silos, one of which is killed while its deliveries
/// wait to retry: each finishes on the survivor exactly once — one licence key, one hosted-site
/// account, one "ready" e-mail.
/// </summary>
public sealed class DeliveryFailoverTests : IAsyncLifetime
{
    private DeliveryNodes nodes = null!;

    public async Task InitializeAsync() => nodes = await DeliveryNodes.CreateAsync();

    public async Task DisposeAsync() => await nodes.DisposeAsync();

    [Fact]
    public async Task Site_and_key_deliveries_retrying_on_a_killed_node_each_complete_once_on_the_survivor()
    {
        var doomed = await nodes.StartNodeAsync();
        await nodes.StartNodeAsync(); // the survivor: nodes.Grains from here on
        const string siteFiles = "products/prod_site_fo/site.zip";
        await nodes.Grains.GetGrain<IProductGrain>("prod_site_fo").SaveAsync(new ProductDraft("site-fo", "Studio site", "A hosted site.", "# Studio",
            ["/img/s.png"], new Money(9900, "usd"), DeliveryKind.SiteAccess, null, null, ["site"], DownloadFile: siteFiles));
        await nodes.Grains.GetGrain<IProductGrain>("prod_key_fo").SaveAsync(new ProductDraft("key-fo", "Studio licence", "A licence.", "# Licence",
            ["/img/k.png"], new Money(4900, "usd"), DeliveryKind.LicenseKey, null, null, ["key"]));
        var starts = Enumerable.Range(1, 8).Select(i => i % 2 == 0
            ? new StartDelivery($"ord_fo_site_{i}", 1, "prod_site_fo", "Studio site", DeliveryKind.SiteAccess, $"acc_{i}", $"buyer{i}@example.com", nodes.Now)
            : new StartDelivery($"ord_fo_key_{i}", 1, "prod_key_fo", "Studio licence", DeliveryKind.LicenseKey, $"acc_{i}", $"buyer{i}@example.com", nodes.Now)).ToArray();
        foreach (var start in starts.Where(s => s.Kind == DeliveryKind.SiteAccess)) // a site account is made for the order's customer
            await nodes.Grains.GetGrain<IOrderGrain>(start.OrderId).PlaceAsync(new PlaceOrder($"cart_{start.OrderId}", start.AccountId, start.Email,
                [new OrderLineDraft(start.ProductId, "site-fo", start.ProductTitle, new Money(9900, "usd"), 1, DeliveryKind.SiteAccess, false)],
                null, new Money(9900, "usd"), new Money(0, "usd"), new Money(9900, "usd"), nodes.Now.AddHours(1)));
        var handler = doomed.Services.GetRequiredService<StartDeliveryHandler>();
        foreach (var start in starts) await handler.HandleAsync(start, default!, CancellationToken.None);
        foreach (var start in starts) await nodes.UntilAsync(start.DeliveryId, DeliveryStatus.Retrying); // no site files, no keys yet

        var doomedSilo = doomed.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await doomed.KillAsync(); // no goodbye: the survivor must find out
        var membership = nodes.Node.Services.GetRequiredService<IClusterMembershipService>();
        await Eventually.TrueAsync(() => membership.CurrentSnapshot.GetSiloStatus(doomedSilo) == SiloStatus.Dead, TimeSpan.FromSeconds(60),
            "the survivor declares the killed silo dead");
        var path = Path.Combine(nodes.FilesRoot, siteFiles);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]); // an empty zip: the site's files arrive
        await nodes.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_key_fo").AddKeysAsync([.. Enumerable.Range(1, 10).Select(i => $"FO-{i:0000}")]);
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
            Assert.Equal(2, view.Attempt);
            if (start.Kind == DeliveryKind.LicenseKey) keys.Add(view.LicenseKey!);
            else Assert.Equal(1L, await nodes.Database.ScalarAsync<long>(
                "SELECT count(*) FROM hosted_sites WHERE delivery_id = $1 AND credentials_version = 1 AND revoked_at IS NULL", start.DeliveryId));
        }
        Assert.Equal(4, keys.Distinct().Count()); // one key each, none handed out twice
        Assert.Equal(new LicenseKeyPoolView("prod_key_fo", 6, 4, 0), await nodes.Grains.GetGrain<ILicenseKeyPoolGrain>("prod_key_fo").GetAsync());
        Assert.Equal(4L, await nodes.Database.ScalarAsync<long>("SELECT count(*) FROM hosted_sites WHERE order_id LIKE 'ord_fo_site_%'"));
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
