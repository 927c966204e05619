using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.SiteAccess;
using Courier.Grains;
using Courier.Grains.Deliveries;
using Courier.Silo.Audit;
using Courier.Silo.Commerce;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.Silo.SiteAccess;
using Courier.TestSupport;
using Courier.TestSupport.SiteAccess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Silo.Tests.SiteAccess;

/// <summary>
/// Hosted-site deliveries on PostgreSQL through the seller's HTTP endpoint (a real local server
/// checking the signature), with a clock the tests move so retries come due without waiting.
/// </summary>
public sealed class SiteAccessDeliveryTests : IAsyncLifetime
{
    private static readonly RetrySchedule QuickRetries = new([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)]);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private FakeSellerHosting seller = null!;
    private TestSilo silo = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        seller = await FakeSellerHosting.StartAsync();
        seller.Now = clock.GetUtcNow;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Deliveries:SiteAccess:Provider"] = "Http",
            ["Deliveries:SiteAccess:Http:Url"] = seller.Url.ToString(),
            ["Deliveries:SiteAccess:Http:Secret"] = FakeSellerHosting.Secret,
        }).Build();
        silo = await TestSilo.StartAsync(database.ConnectionString, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddReadModelWriter<AuditEntryWriter>();
            services.AddCourierCommerce(configuration);
        });
    }

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        await seller.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_host_failing_three_attempts_then_answering_ends_ready_with_the_three_failures_journaled()
    {
        // Each delivery attempt is one request and its quick in-process retries.
        const int requestsPerAttempt = OutgoingHttp.MaxRetries + 1;
        seller.ScriptNext(new SellerReply(503, """{"error":"capacity"}"""), times: 3 * requestsPerAttempt);
        var delivery = await StartAsync("ord_flaky");

        var view = await AdvanceUntilAsync(delivery, DeliveryStatus.Ready);

        Assert.Equal(4, view.Attempt);
        var steps = await StepsAsync(view.Id);
        var retries = steps.Where(s => s.To == DeliveryStatus.Retrying).ToList();
        Assert.Equal([1, 2, 3], retries.Select(s => s.Attempt));
        Assert.All(retries, s => Assert.Contains("The hosting service answered provision with HTTP 503", s.Cause, StringComparison.Ordinal));
        Assert.Equal("delivered on attempt 4", steps[^1].Cause);
        Assert.Single(seller.Accounts);
        Assert.Equal(3 * requestsPerAttempt + 1, seller.Requests.Count(r => r.Action == "provision"));
        Assert.All(seller.Requests, r => Assert.Equal("ord_flaky:1:provision", r.IdempotencyKey));
        var site = (await silo.Grains.GetGrain<ISiteAccessGrain>(view.Id).GetAsync())!;
        Assert.Equal(SiteHostNames.Http, site.Host);
        Assert.Equal(seller.Accounts.Keys.Single(), site.Account);
    }

    [Fact]
    public async Task A_ready_site_sends_one_email_that_points_to_the_order_page_and_never_carries_the_password()
    {
        var delivery = await StartAsync("ord_announced");
        await AdvanceUntilAsync(delivery, DeliveryStatus.Ready);
        var password = seller.Accounts.Values.Single().Password;

        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM mailbox WHERE order_id = 'ord_announced'") > 0,
            TimeSpan.FromSeconds(20), "the ready e-mail goes out");
        await delivery.GetAsync(); // a later call announces nothing again
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM mailbox WHERE order_id = 'ord_announced'"));
        Assert.Equal("delivery-ready", await database.ScalarAsync<string>("SELECT kind FROM mailbox WHERE order_id = 'ord_announced'"));
        Assert.Equal("Your site is ready: Hosted site", await database.ScalarAsync<string>("SELECT subject FROM mailbox WHERE order_id = 'ord_announced'"));
        var bodies = await database.ScalarAsync<string>("SELECT text_body || html_body FROM mailbox WHERE order_id = 'ord_announced'");
        Assert.Contains("/account/orders/ord_announced", bodies, StringComparison.Ordinal);
        Assert.DoesNotContain(password, bodies, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_removes_the_account_at_the_sellers_host_through_the_outbox()
    {
        var delivery = await StartAsync("ord_refunded");
        var view = await AdvanceUntilAsync(delivery, DeliveryStatus.Ready);
        var account = seller.Accounts.Keys.Single();

        await delivery.RevokeAsync("the order was refunded");

        await Eventually.TrueAsync(() => seller.Accounts.Count == 0, TimeSpan.FromSeconds(20), "the seller is asked to remove the account");
        var removal = Assert.Single(seller.Requests, r => r.Action == "remove");
        Assert.Equal(account, removal.Account);
        Assert.True(removal.SignatureValid);
        var site = (await silo.Grains.GetGrain<ISiteAccessGrain>(view.Id).GetAsync())!;
        Assert.Null(site.SealedCredentials);
        Assert.Equal("the order was refunded", site.RevokedReason);
    }

    [Fact]
    public async Task Rotation_through_the_sellers_host_stores_the_password_the_seller_now_has_sealed()
    {
        var delivery = await StartAsync("ord_rotate");
        var view = await AdvanceUntilAsync(delivery, DeliveryStatus.Ready);
        var selfService = silo.Services.GetRequiredService<SiteAccessSelfService>();
        var before = await selfService.RevealAsync(view.Id, "acc_owner");

        var rotation = await selfService.RotateAsync(view.Id, "acc_owner", byStaff: false, CancellationToken.None);

        var account = seller.Accounts.Values.Single();
        Assert.Equal(account.Password, rotation.Credentials!.Password);
        Assert.NotEqual(before.Password, account.Password);
        Assert.Equal(account.Password, (await selfService.RevealAsync(view.Id, "acc_owner")).Password);
        Assert.Equal("ord_rotate:1:rotate:1", Assert.Single(seller.Requests, r => r.Action == "rotate").IdempotencyKey);
        var state = await database.ScalarAsync<string>("SELECT state::text FROM grain_state WHERE grain_key = $1 AND grain_type LIKE '%SiteAccessGrain'", view.Id);
        Assert.Contains("sealedCredentials", state, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(account.Password, state, StringComparison.Ordinal);
        Assert.DoesNotContain(before.Password, state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotation_the_host_cannot_do_keeps_the_current_password_and_says_why()
    {
        var delivery = await StartAsync("ord_rotate_fail");
        var view = await AdvanceUntilAsync(delivery, DeliveryStatus.Ready);
        var selfService = silo.Services.GetRequiredService<SiteAccessSelfService>();
        var before = await selfService.RevealAsync(view.Id, "acc_owner");
        seller.ScriptNext(new SellerReply(502, "{}"));

        var rotation = await selfService.RotateAsync(view.Id, "acc_owner", byStaff: false, CancellationToken.None);

        Assert.Null(rotation.Credentials);
        Assert.Equal("The hosting service answered rotate with HTTP 502 (Bad Gateway).", rotation.Error);
        Assert.Equal(before.Password, (await selfService.RevealAsync(view.Id, "acc_owner")).Password);
        Assert.Equal(before.Password, seller.Accounts.Values.Single().Password);
    }

    private async Task<IDeliveryGrain> StartAsync(string orderId)
    {
        var productId = "prod_hosted_" + orderId;
        await silo.Grains.GetGrain<IProductGrain>(productId).SaveAsync(new ProductDraft("hosted-" + orderId.Replace('_', '-'), "Hosted site", "A hosted site.", "# Hosted",
            ["/media/x.svg"], new Money(9900, "usd"), DeliveryKind.SiteAccess, null, null, ["hosted"]));
        await silo.Grains.GetGrain<IOrderGrain>(orderId).PlaceAsync(new PlaceOrder("cart_" + orderId, "acc_owner", "owner@example.com",
            [new OrderLineDraft(productId, "hosted", "Hosted site", new Money(9900, "usd"), 1, DeliveryKind.SiteAccess, false)],
            null, new Money(9900, "usd"), new Money(0, "usd"), new Money(9900, "usd"), clock.GetUtcNow().AddHours(1)));
        var delivery = silo.Grains.GetGrain<IDeliveryGrain>(new DeliveryId(orderId, 1).ToString());
        await delivery.StartAsync(new DeliveryRequest(orderId, 1, productId, "Hosted site", DeliveryKind.SiteAccess, "acc_owner", "owner@example.com",
            clock.GetUtcNow(), TimeSpan.FromHours(1), QuickRetries));
        return delivery;
    }

    /// <summary>Moves the clock in small steps (so retries come due) until the delivery reaches <paramref name="status"/>.</summary>
    private async Task<DeliveryView> AdvanceUntilAsync(IDeliveryGrain delivery, DeliveryStatus status)
    {
        DeliveryView? view = null;
        await Eventually.TrueAsync(async () =>
        {
            view = await delivery.GetAsync();
            if (view?.Status == status) return true;
            clock.Advance(TimeSpan.FromSeconds(2));
            return false;
        }, TimeSpan.FromSeconds(30), $"the delivery reaches {status}; it is {view}");
        return view!;
    }

    /// <summary>The delivery's steps as the order's timeline shows them.</summary>
    private async Task<IReadOnlyList<DeliveryStepped>> StepsAsync(string deliveryId) =>
        [.. (await silo.Services.GetRequiredService<OrdersReadModel>().TimelineAsync(deliveryId.Split(':')[0], 1, CancellationToken.None))
            .Where(e => e.Kind == nameof(DeliveryStepped) && e.DeliveryId == deliveryId)
            .Select(e => e.Data.Deserialize<DeliveryStepped>(GrainJson.Options)!)];
}
