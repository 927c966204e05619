using System.Text.Json;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;
using Courier.Abstractions.SiteAccess;
using Courier.Grains.SiteAccess;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Grains.Tests.SiteAccess;

/// <summary>A site-access grain on the in-memory store with a clock the tests move and the account removals recorded.</summary>
public sealed class SiteAccessSilo : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    public RecordingOutboxHandler<RemoveSiteAccount> Removals { get; } = new();
    internal InMemoryStore Store { get; } = new();
    public TestSilo Silo { get; private set; } = null!;
    public IGrainFactory Grains => Silo.Grains;

    public async Task InitializeAsync() =>
        Silo = await TestSilo.StartAsync(Store, services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(Removals);
            services.AddOutboxHandler<RemoveSiteAccount, RecordingOutboxHandler<RemoveSiteAccount>>();
        });

    public Task DisposeAsync() => Silo.DisposeAsync().AsTask();

    public static SiteAccountGranted Granted(string account, string host = SiteHostNames.Http) =>
        new("ord_site", "prod_site", host, account, "https://hosting.example.com/login", $"sealed-{account}");
}

public sealed class SiteAccessGrainTests(SiteAccessSilo silo) : IClassFixture<SiteAccessSilo>
{
    private static string NewDeliveryId() => $"ord_{Guid.NewGuid():N}:1";

    [Fact]
    public async Task Provisioned_twice_keeps_the_first_account_and_asks_to_remove_the_second()
    {
        var site = silo.Grains.GetGrain<ISiteAccessGrain>(NewDeliveryId());

        var first = await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_1"));
        var repeat = await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_1"));
        var second = await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_2"));

        Assert.Equal(SiteAccessProvisioning.Recorded, first);
        Assert.Equal(SiteAccessProvisioning.AlreadyProvisioned, repeat);
        Assert.Equal(SiteAccessProvisioning.AlreadyProvisioned, second);
        var view = (await site.GetAsync())!;
        Assert.Equal("acct_1", view.Account);
        Assert.Equal("sealed-acct_1", view.SealedCredentials);
        Assert.Equal(1, view.CredentialsVersion);
        await Eventually.TrueAsync(() => silo.Removals.Received.Any(r => r.DeliveryId == view.DeliveryId));
        Assert.Equal(["acct_2"], silo.Removals.Received.Where(r => r.DeliveryId == view.DeliveryId).Select(r => r.Account));
    }

    [Fact]
    public async Task An_account_reported_after_the_revoke_is_removed_and_never_stored()
    {
        var deliveryId = NewDeliveryId();
        var site = silo.Grains.GetGrain<ISiteAccessGrain>(deliveryId);
        await site.RevokeAsync("refunded");

        var late = await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_late"));

        Assert.Equal(SiteAccessProvisioning.Revoked, late);
        Assert.Null((await site.GetAsync())!.SealedCredentials);
        await Eventually.TrueAsync(() => silo.Removals.Received.Any(r => r.DeliveryId == deliveryId));
        Assert.Equal(new RemoveSiteAccount(deliveryId, "ord_site", "prod_site", SiteHostNames.Http, "acct_late"), Assert.Single(silo.Removals.Received, r => r.DeliveryId == deliveryId));
    }

    [Fact]
    public async Task Revoke_forgets_the_credentials_refuses_reveal_and_removes_the_account_once()
    {
        var deliveryId = NewDeliveryId();
        var site = silo.Grains.GetGrain<ISiteAccessGrain>(deliveryId);
        await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_gone"));

        await site.RevokeAsync("the order was refunded");
        await site.RevokeAsync("the order was refunded");

        var view = (await site.GetAsync())!;
        Assert.Null(view.SealedCredentials);
        Assert.Equal("the order was refunded", view.RevokedReason);
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => site.RevealAsync("acc_owner"));
        Assert.Equal(410, refused.Status);
        Assert.Contains("withdrawn", refused.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => silo.Removals.Received.Any(r => r.DeliveryId == deliveryId));
        Assert.Single(silo.Removals.Received, r => r.DeliveryId == deliveryId);
    }

    [Fact]
    public async Task Reveal_before_the_site_is_ready_says_it_is_being_set_up()
    {
        var site = silo.Grains.GetGrain<ISiteAccessGrain>(NewDeliveryId());

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => site.RevealAsync("acc_owner"));

        Assert.Equal(409, refused.Status);
        Assert.Equal("site-not-ready", refused.Code);
    }

    [Fact]
    public async Task Rotations_are_limited_to_five_an_hour_and_the_refusal_says_when_the_next_is_possible()
    {
        var site = silo.Grains.GetGrain<ISiteAccessGrain>(NewDeliveryId());
        await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_busy"));

        var tickets = new List<RotationTicket>();
        for (var i = 0; i < SiteAccessLimits.RotationsPerWindow; i++)
        {
            tickets.Add(await site.BeginRotationAsync("acc_owner"));
            silo.Clock.Advance(TimeSpan.FromMinutes(10));
        }
        var refused = await site.BeginRotationAsync("acc_owner");
        silo.Clock.Advance(TimeSpan.FromMinutes(10));
        var allowedAgain = await site.BeginRotationAsync("acc_owner");

        Assert.All(tickets, t => Assert.True(t.Allowed));
        Assert.Equal([1, 2, 3, 4, 5], tickets.Select(t => t.Rotation));
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(10), refused.RetryAfter); // the first rotation, 50 minutes ago, leaves the hour in 10
        Assert.True(allowedAgain.Allowed);
        Assert.Equal(6, allowedAgain.Rotation);
    }

    [Fact]
    public async Task Completing_a_rotation_replaces_the_credentials_and_journals_it_while_a_superseded_one_is_refused()
    {
        var deliveryId = NewDeliveryId();
        var site = silo.Grains.GetGrain<ISiteAccessGrain>(deliveryId);
        await site.ProvisionedAsync(SiteAccessSilo.Granted("acct_rot"));
        var older = await site.BeginRotationAsync("acc_owner");
        var newer = await site.BeginRotationAsync("acc_owner");

        var rotated = await site.CompleteRotationAsync(newer.Rotation, "sealed-new", "acc_owner", byStaff: false);
        var superseded = await Assert.ThrowsAsync<RuleViolationException>(() => site.CompleteRotationAsync(older.Rotation, "sealed-old", "acc_owner", byStaff: false));

        Assert.Equal("sealed-new", rotated.SealedCredentials);
        Assert.Equal(2, rotated.CredentialsVersion);
        Assert.Equal("sealed-new", (await site.GetAsync())!.SealedCredentials);
        Assert.Equal(409, superseded.Status);
        var journal = await silo.Store.ReadJournalAsync(new GrainName(GrainName.TypeOf(typeof(SiteAccessGrain)), deliveryId), CancellationToken.None);
        Assert.Equal([nameof(SiteAccountCreated), nameof(SiteCredentialsRotated)], journal.Select(j => j.Kind));
        var step = JsonSerializer.Deserialize<SiteCredentialsRotated>(journal[1].DataJson, GrainJson.Options)!;
        Assert.Equal(2, step.CredentialsVersion);
        Assert.Contains("old one no longer works", step.Cause, StringComparison.Ordinal);
    }
}
