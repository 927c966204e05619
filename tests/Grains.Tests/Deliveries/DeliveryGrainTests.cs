using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Grains.Deliveries;
using Courier.Silo.Grains;
using Courier.TestSupport;

namespace Courier.Grains.Tests.Deliveries;

public sealed class DeliveryGrainTests(DeliverySilo silo) : IClassFixture<DeliverySilo>
{
    private static readonly RetrySchedule ShortRetries = new([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)]);
    private static readonly TimeSpan LongSla = TimeSpan.FromHours(10);

    /// <summary>Moves the clock on in small steps (so retries fire) until the delivery reaches one of <paramref name="statuses"/>.</summary>
    private async Task<DeliveryView> AdvanceUntilAsync(IDeliveryGrain delivery, params DeliveryStatus[] statuses)
    {
        DeliveryView? view = null;
        await Eventually.TrueAsync(async () =>
        {
            view = await delivery.GetAsync();
            if (view is not null && statuses.Contains(view.Status)) return true;
            await silo.AdvanceAsync(TimeSpan.FromSeconds(2));
            return false;
        }, TimeSpan.FromSeconds(30), $"the delivery reaches {string.Join(" or ", statuses)}; it is {view}");
        return view!;
    }

    private async Task<IReadOnlyList<DeliveryStepped>> StepsAsync(string deliveryId) =>
        [.. (await silo.JournalAsync(deliveryId)).Where(j => j.Kind == nameof(DeliveryStepped))
            .Select(j => JsonSerializer.Deserialize<DeliveryStepped>(j.DataJson, GrainJson.Options)!)];

    private async Task<string> NewPoolAsync(int keys)
    {
        var productId = DeliverySilo.NewKey("prod");
        await silo.Grains.GetGrain<ILicenseKeyPoolGrain>(productId).AddKeysAsync([.. Enumerable.Range(1, keys).Select(n => $"KEY-{productId[^6..]}-{n:D4}")]);
        return productId;
    }

    [Fact]
    public async Task Start_download_with_its_file_present_becomes_ready_and_publishes_pending_processing_ready()
    {
        var productId = await silo.NewDownloadProductAsync(withFile: true);
        var request = silo.Request(productId, DeliveryKind.Download);

        var delivery = await silo.StartAsync(request, DeliveryStatus.Ready);

        var view = (await delivery.GetAsync())!;
        Assert.Equal(DeliveryHealth.Healthy, view.Health);
        Assert.Equal("Your download is ready.", view.HealthExplanation);
        Assert.Equal(1, view.Attempt);
        Assert.Equal(silo.Now, view.ReadyAt);
        Assert.Equal(
            [DeliveryStatus.Pending, DeliveryStatus.Processing, DeliveryStatus.Ready],
            (await StepsAsync(view.Id)).Select(s => s.To));
        await Eventually.TrueAsync(() => silo.UpdatesFrom(view.Id).Count(u => u.Kind == "deliveryChanged") == 3);
        var events = silo.UpdatesFrom(view.Id).Where(u => u.Kind == "deliveryChanged").ToList();
        Assert.Equal(["Pending", "Processing", "Ready"], events.Select(e => e.Data.GetProperty("status").GetString()));
        Assert.Equal([$"order:{request.OrderId}", "customer:acc_ada", "admin"], events[^1].Topics);
        Assert.True(events.Select(e => e.Version).SequenceEqual(events.Select(e => e.Version).Order()));
        var row = Assert.Single(silo.Store.ReadModel<DeliveryRow>(), r => r.Id == view.Id);
        Assert.Equal(DeliveryStatus.Ready, row.Status);
    }

    [Fact]
    public async Task Start_twice_sends_one_provisioning_attempt()
    {
        var productId = await silo.NewDownloadProductAsync(withFile: true);
        var request = silo.Request(productId, DeliveryKind.Download);

        var delivery = await silo.StartAsync(request);
        await delivery.StartAsync(request);
        var view = await DeliverySilo.UntilAsync(delivery, DeliveryStatus.Ready);
        await delivery.StartAsync(request);

        Assert.Single(await StepsAsync(view.Id), s => s.To == DeliveryStatus.Processing);
        Assert.Equal(DeliveryStatus.Ready, (await delivery.GetAsync())!.Status);
    }

    [Fact]
    public async Task Download_with_its_file_missing_retries_with_the_reason()
    {
        var productId = await silo.NewDownloadProductAsync(withFile: false);

        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.Download, LongSla, new RetrySchedule([TimeSpan.FromHours(1)])), DeliveryStatus.Retrying);

        var view = (await delivery.GetAsync())!;
        Assert.Contains("is missing from the file store", view.LastError, StringComparison.Ordinal);
        Assert.Equal(DeliveryHealth.Healthy, view.Health);
        Assert.Contains("We try again automatically at", view.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_license_key_becomes_ready_with_a_key_from_the_pool()
    {
        var productId = await NewPoolAsync(keys: 10);

        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.LicenseKey), DeliveryStatus.Ready);

        var view = (await delivery.GetAsync())!;
        Assert.StartsWith("KEY-", view.LicenseKey, StringComparison.Ordinal);
        Assert.Equal("Your licence key is ready.", view.HealthExplanation);
        Assert.Equal(new LicenseKeyPoolView(productId, 9, 1, 0), await silo.Grains.GetGrain<ILicenseKeyPoolGrain>(productId).GetAsync());
    }

    [Fact]
    public async Task Provisioning_that_fails_three_times_then_succeeds_is_ready_with_three_failures_journaled()
    {
        var productId = DeliverySilo.NewKey("prod");
        silo.Sites.FailFirst(productId, 3, "hosting API answered 503");

        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.SiteAccess, LongSla, ShortRetries));
        var view = await AdvanceUntilAsync(delivery, DeliveryStatus.Ready, DeliveryStatus.Escalated);

        Assert.Equal(DeliveryStatus.Ready, view.Status);
        Assert.Equal(4, view.Attempt);
        var failures = (await StepsAsync(view.Id)).Where(s => s.To == DeliveryStatus.Retrying).ToList();
        Assert.Equal([1, 2, 3], failures.Select(f => f.Attempt));
        Assert.All(failures, f => Assert.Contains($"hosting API answered 503 (attempt {f.Attempt})", f.Cause, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Provisioning_that_always_fails_escalates_with_the_last_error_and_needs_attention()
    {
        var productId = DeliverySilo.NewKey("prod");
        silo.Sites.AlwaysFail(productId, "hosting API rejected the plan");

        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.SiteAccess, LongSla, ShortRetries));
        var view = await AdvanceUntilAsync(delivery, DeliveryStatus.Escalated);

        Assert.Equal(4, view.Attempt);
        Assert.Equal(DeliveryHealth.NeedsAttention, view.Health);
        Assert.Equal("We could not deliver this automatically; a technician has been alerted and will finish it.", view.HealthExplanation);
        var steps = await StepsAsync(view.Id);
        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Escalated], steps.TakeLast(2).Select(s => s.To));
        await Eventually.TrueAsync(() => silo.UpdatesFrom(view.Id).Any(u => u.Kind == "deliveryEscalated"));
        var escalated = Assert.Single(silo.UpdatesFrom(view.Id), u => u.Kind == "deliveryEscalated");
        Assert.Equal(["admin"], escalated.Topics);
        Assert.Equal("hosting API rejected the plan (attempt 4)", escalated.Data.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Sla_missed_publishes_one_breach_and_shows_an_honest_delay()
    {
        var productId = DeliverySilo.NewKey("prod");
        silo.Sites.AlwaysFail(productId, "hosting API timed out");
        var delivery = await silo.StartAsync(
            silo.Request(productId, DeliveryKind.SiteAccess, TimeSpan.FromMinutes(1), new RetrySchedule([TimeSpan.FromHours(1), TimeSpan.FromHours(1)])),
            DeliveryStatus.Retrying);
        var id = (await delivery.GetAsync())!.Id;

        await silo.AdvanceAsync(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => silo.UpdatesFrom(id).Any(u => u.Kind == "slaBreached"), because: "the SLA reminder fires");
        await silo.AdvanceAsync(TimeSpan.FromMinutes(2));
        await Task.Delay(500);

        Assert.Single(silo.UpdatesFrom(id), u => u.Kind == "slaBreached");
        var view = (await delivery.GetAsync())!;
        Assert.Equal(DeliveryStatus.Retrying, view.Status);
        Assert.Equal(DeliveryHealth.Delayed, view.Health);
        Assert.Equal("Your delivery is taking longer than the usual 1 minute. The last attempt failed: hosting API timed out (attempt 1)", view.HealthExplanation);
        Assert.Contains("We try again automatically at", view.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_not_ready_two_hours_after_payment_is_assigned_to_a_technician()
    {
        var productId = DeliverySilo.NewKey("prod");
        silo.Sites.AlwaysFail(productId, "hosting API down");
        var delivery = await silo.StartAsync(
            silo.Request(productId, DeliveryKind.SiteAccess, LongSla, new RetrySchedule([TimeSpan.FromHours(10)])), DeliveryStatus.Retrying);
        var id = (await delivery.GetAsync())!.Id;

        await silo.AdvanceAsync(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(() => silo.Store.ReadModel<TechnicianAssignment>().Any(a => a.DeliveryId == id), because: "the technician reminder fires");
        var assignment = Assert.Single(silo.Store.ReadModel<TechnicianAssignment>(), a => a.DeliveryId == id);
        Assert.Contains("not ready 2 h after payment; last error: hosting API down", assignment.Reason, StringComparison.Ordinal);
        Assert.StartsWith("A technician is looking at it.", (await delivery.GetAsync())!.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_delivery_is_never_assigned_to_a_technician()
    {
        var productId = await silo.NewDownloadProductAsync(withFile: true);
        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.Download), DeliveryStatus.Ready);
        var id = (await delivery.GetAsync())!.Id;

        await silo.AdvanceAsync(TimeSpan.FromHours(3));
        await Task.Delay(500);

        Assert.DoesNotContain(silo.Store.ReadModel<TechnicianAssignment>(), a => a.DeliveryId == id);
        Assert.DoesNotContain(silo.UpdatesFrom(id), u => u.Kind == "slaBreached");
    }

    [Fact]
    public async Task Hundred_and_one_concurrent_deliveries_from_a_pool_of_hundred_get_distinct_keys_and_the_last_escalates()
    {
        var productId = await NewPoolAsync(keys: 100);
        var requests = Enumerable.Range(0, 101)
            .Select(_ => silo.Request(productId, DeliveryKind.LicenseKey, LongSla, new RetrySchedule([TimeSpan.FromSeconds(1)])))
            .ToList();

        var deliveries = await Task.WhenAll(requests.Select(r => silo.StartAsync(r)));
        var views = await Task.WhenAll(deliveries.Select(d => AdvanceUntilAsync(d, DeliveryStatus.Ready, DeliveryStatus.Escalated)));

        var ready = views.Where(v => v.Status == DeliveryStatus.Ready).ToList();
        Assert.Equal(100, ready.Count);
        Assert.Equal(100, ready.Select(v => v.LicenseKey).Distinct().Count());
        var escalated = Assert.Single(views, v => v.Status == DeliveryStatus.Escalated);
        Assert.Equal($"The licence key pool for {productId} is empty; add keys in the admin console.", escalated.LastError);
        Assert.Equal(new LicenseKeyPoolView(productId, 0, 100, 0), await silo.Grains.GetGrain<ILicenseKeyPoolGrain>(productId).GetAsync());
    }

    [Fact]
    public async Task Stale_or_repeated_provisioning_results_are_ignored()
    {
        var productId = await NewPoolAsync(keys: 3);
        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.LicenseKey), DeliveryStatus.Ready);
        var before = (await delivery.GetAsync())!;

        await delivery.ProvisioningSucceededAsync(1, new DeliveryResult("FORGED-KEY"));
        await delivery.ProvisioningFailedAsync(1, "late failure");
        await delivery.ProvisioningFailedAsync(7, "an attempt that never ran");

        Assert.Equal(before, await delivery.GetAsync());
    }

    [Fact]
    public async Task Revoke_disables_the_key_and_hides_it()
    {
        var productId = await NewPoolAsync(keys: 3);
        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.LicenseKey), DeliveryStatus.Ready);
        var pool = silo.Grains.GetGrain<ILicenseKeyPoolGrain>(productId);

        await delivery.RevokeAsync("refunded in full");

        var view = (await delivery.GetAsync())!;
        Assert.Equal(DeliveryStatus.Revoked, view.Status);
        Assert.Null(view.LicenseKey);
        Assert.Equal("This delivery was withdrawn: refunded in full.", view.HealthExplanation);
        await Eventually.TrueAsync(async () => (await pool.GetAsync()).Disabled == 1, because: "the pool hears of the revoke");
        Assert.Null(await pool.AllocateAsync(view.Id));
    }

    [Fact]
    public async Task Pool_skips_keys_it_knows_and_alerts_admins_once_when_running_low()
    {
        var productId = await NewPoolAsync(keys: 6);
        var pool = silo.Grains.GetGrain<ILicenseKeyPoolGrain>(productId);

        var again = await pool.AddKeysAsync([$"KEY-{productId[^6..]}-0001", " ", "FRESH-KEY"]);
        var first = await pool.AllocateAsync("d1");
        Assert.Equal(first, await pool.AllocateAsync("d1"));
        await pool.AllocateAsync("d2");
        await pool.AllocateAsync("d3");

        Assert.Equal(7, again.Available);
        Assert.Equal(new LicenseKeyPoolView(productId, 4, 3, 0), await pool.GetAsync());
        await Eventually.TrueAsync(() => silo.UpdatesFrom(productId).Any(u => u.Kind == "licenseKeyPoolLow"));
        var alert = Assert.Single(silo.UpdatesFrom(productId), u => u.Kind == "licenseKeyPoolLow");
        Assert.Equal(4, alert.Data.GetProperty("available").GetInt32());
    }
}
