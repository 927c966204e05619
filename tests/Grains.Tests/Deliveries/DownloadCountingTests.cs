using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;

namespace Courier.Grains.Tests.Deliveries;

/// <summary>Which requests use one of a delivery's downloads: a request from byte 0 does; a resume through the same link from the same address does not.</summary>
public sealed class DownloadCountingTests(DeliverySilo silo) : IClassFixture<DeliverySilo>
{
    private async Task<(IDeliveryGrain Delivery, int LinkId)> ReadyDownloadAsync()
    {
        var productId = await silo.NewDownloadProductAsync(withFile: true);
        var delivery = await silo.StartAsync(silo.Request(productId, DeliveryKind.Download), DeliveryStatus.Ready);
        return (delivery, (await delivery.GetAsync())!.Downloads!.Link!.LinkId);
    }

    [Fact]
    public async Task Resume_from_the_same_address_is_free_but_from_another_address_it_counts()
    {
        var (delivery, link) = await ReadyDownloadAsync();

        var first = await delivery.StartDownloadAsync(new DownloadAttempt(link, "198.51.100.1", null, 0));
        var resume = await delivery.StartDownloadAsync(new DownloadAttempt(link, "198.51.100.1", null, 5_000));
        var elsewhere = await delivery.StartDownloadAsync(new DownloadAttempt(link, "198.51.100.2", null, 5_000));

        Assert.Equal(DownloadOutcome.Counted, first.Outcome);
        Assert.Equal(DownloadOutcome.Resumed, resume.Outcome);
        Assert.Equal(DownloadOutcome.Counted, elsewhere.Outcome);
        Assert.Equal(2, elsewhere.Used);
    }

    [Fact]
    public async Task Resume_after_a_new_link_counts_and_the_old_link_is_refused()
    {
        var (delivery, link) = await ReadyDownloadAsync();
        await delivery.StartDownloadAsync(new DownloadAttempt(link, "198.51.100.1", null, 0));

        var renewed = await delivery.NewDownloadLinkAsync(new SelfServiceRequest("acc_ada", "198.51.100.1"));
        var old = await delivery.StartDownloadAsync(new DownloadAttempt(link, "198.51.100.1", null, 5_000));
        var resumedOnNew = await delivery.StartDownloadAsync(new DownloadAttempt(renewed.Link!.LinkId, "198.51.100.1", null, 5_000));

        Assert.Equal(DownloadOutcome.LinkReplaced, old.Outcome);
        Assert.Equal(DownloadOutcome.Counted, resumedOnNew.Outcome);
        Assert.Equal(2, resumedOnNew.Used);
    }

    [Fact]
    public async Task Link_past_its_expiry_is_refused_by_the_delivery_too()
    {
        var (delivery, link) = await ReadyDownloadAsync();
        silo.Clock.Advance(DownloadPolicy.Default.LinkValidity);

        var late = await delivery.StartDownloadAsync(new DownloadAttempt(link, "198.51.100.1", null, 0));

        Assert.Equal(DownloadOutcome.LinkExpired, late.Outcome);
        Assert.Equal(0, late.Used);
    }
}
