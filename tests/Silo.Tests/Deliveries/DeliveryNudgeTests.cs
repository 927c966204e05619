using System.Text.Json;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Grains.Deliveries;
using Courier.Silo.Outbox;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Deliveries;

/// <summary>The "ready" e-mail, the 24 h / 72 h reminders and the 7-day completion, on PostgreSQL with a clock the test moves.</summary>
public sealed class DeliveryNudgeTests : IAsyncLifetime
{
    private static readonly string EmailMessage = OutboxMessageTypes.NameOf(typeof(SendDeliveryEmail));
    private DeliveryNodes nodes = null!;

    public async Task InitializeAsync()
    {
        nodes = await DeliveryNodes.CreateAsync();
        await nodes.StartNodeAsync();
    }

    public async Task DisposeAsync() => await nodes.DisposeAsync();

    private Task<int> RemindersAsync(string deliveryId, string name) => nodes.Database.ScalarAsync<int>(
        "SELECT count(*)::int FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3", GrainName.TypeOf(typeof(DeliveryGrain)), deliveryId, name);

    private Task<int> SentEmailMessagesAsync(string deliveryId) => nodes.Database.ScalarAsync<int>(
        "SELECT count(*)::int FROM outbox WHERE message_type = $1 AND grain_key = $2 AND status = 'done'", EmailMessage, deliveryId);

    private async Task<IReadOnlyList<string>> NudgesAsync(string deliveryId) =>
        [.. (await nodes.Node.Services.GetRequiredService<IGrainStore>().ReadJournalAsync(new GrainName(GrainName.TypeOf(typeof(DeliveryGrain)), deliveryId), CancellationToken.None))
            .Where(j => j.Kind == nameof(DeliveryNudged))
            .Select(j => JsonSerializer.Deserialize<DeliveryNudged>(j.DataJson, GrainJson.Options)!.Nudge)];

    private async Task<IReadOnlyList<Courier.Silo.Adapters.Mail.MailboxEntry>> MailUntilAsync(string orderId, int count)
    {
        IReadOnlyList<Courier.Silo.Adapters.Mail.MailboxEntry> mail = [];
        await Eventually.TrueAsync(async () => (mail = await nodes.MailAsync(orderId)).Count >= count, TimeSpan.FromSeconds(20),
            $"{count} e-mails reach the mailbox for {orderId}");
        return mail;
    }

    [Fact]
    public async Task Download_never_downloaded_gets_the_ready_email_once_then_reminders_at_24_and_72_hours_and_nothing_after()
    {
        var productId = await nodes.NewDownloadProductAsync();
        var readyAt = nodes.Now;
        var view = await nodes.DeliverAsync(productId, DeliveryKind.Download, accountId: "acc_ada");

        var ready = Assert.Single(await MailUntilAsync(view.OrderId, 1));
        Assert.Equal("delivery-ready", ready.Kind);
        Assert.Equal("ada@example.com", ready.To);
        Assert.Contains("/d/", ready.TextBody, StringComparison.Ordinal);
        Assert.Contains("you have 10 downloads left", ready.TextBody, StringComparison.Ordinal);

        await nodes.AdvanceAsync(DeliveryGrain.FirstNudgeAfter);
        var afterDay = await MailUntilAsync(view.OrderId, 2);
        Assert.Equal(["delivery-ready", "delivery-not-downloaded"], afterDay.Select(m => m.Kind));
        Assert.StartsWith("You haven't downloaded", afterDay[1].Subject, StringComparison.Ordinal);
        Assert.Contains("/d/", afterDay[1].TextBody, StringComparison.Ordinal);

        await nodes.AdvanceAsync(DeliveryGrain.SecondNudgeAfter - DeliveryGrain.FirstNudgeAfter);
        var afterThreeDays = await MailUntilAsync(view.OrderId, 3);
        Assert.Equal(["delivery-ready", "delivery-not-downloaded", "delivery-not-downloaded"], afterThreeDays.Select(m => m.Kind));
        Assert.Equal(readyAt + DeliveryGrain.SecondNudgeAfter, afterThreeDays[2].SentAt);

        Assert.Equal(0, await RemindersAsync(view.Id, "nudge"));
        Assert.Equal(["downloadReady", "notDownloadedYet", "notDownloadedYet"], await NudgesAsync(view.Id));
        await Eventually.TrueAsync(() => nodes.Notifications(view.Id).Count == 3, because: "each nudge is also an in-app notification");
        var notification = nodes.Notifications(view.Id)[^1];
        Assert.Equal(["customer:acc_ada", $"order:{view.OrderId}"], notification.Topics);
        Assert.Equal("You haven't downloaded yet", notification.Data.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Downloaded_within_a_day_gets_no_reminder_and_completes_seven_days_after_the_first_download()
    {
        var productId = await nodes.NewDownloadProductAsync();
        var view = await nodes.DeliverAsync(productId, DeliveryKind.Download);
        var delivery = nodes.Grains.GetGrain<IDeliveryGrain>(view.Id);
        await nodes.AdvanceAsync(TimeSpan.FromHours(3));

        var decision = await delivery.StartDownloadAsync(new DownloadAttempt(view.Downloads!.Link!.LinkId, "203.0.113.7", "curl/8", 0));
        var downloadedAt = nodes.Now;

        Assert.Equal(DownloadOutcome.Counted, decision.Outcome);
        Assert.Equal(DeliveryStatus.Downloaded, (await delivery.GetAsync())!.Status);
        Assert.Equal(0, await RemindersAsync(view.Id, "nudge"));
        Assert.Equal((downloadedAt + DeliveryGrain.CompleteAfterFirstDownload).UtcDateTime, await nodes.Database.ScalarAsync<DateTime>(
            "SELECT due_at FROM reminders WHERE grain_key = $1 AND name = 'complete'", view.Id));

        await nodes.AdvanceAsync(DeliveryGrain.CompleteAfterFirstDownload);
        var completed = await nodes.UntilAsync(view.Id, DeliveryStatus.Completed);

        Assert.Equal(DeliveryHealth.Healthy, completed.Health);
        Assert.Equal(["delivery-ready"], (await nodes.MailAsync(view.OrderId)).Select(m => m.Kind));
        Assert.Equal(["downloadReady"], await NudgesAsync(view.Id));
    }

    [Fact]
    public async Task Account_with_delivery_emails_off_gets_notifications_but_no_nudge_emails()
    {
        var email = $"quiet-{Guid.NewGuid():N}@example.com";
        var account = nodes.Grains.GetGrain<IAccountGrain>(email);
        await account.RegisterAsync(new AccountRegistration("acc_quiet", email, "Quiet Customer", "hash", [Roles.Customer]));
        await account.UpdateNotificationPreferencesAsync(new NotificationPreferences(DeliveryEmails: false));
        var productId = await nodes.NewDownloadProductAsync();

        var view = await nodes.DeliverAsync(productId, DeliveryKind.Download, accountId: "acc_quiet", email: email);
        await nodes.AdvanceAsync(DeliveryGrain.FirstNudgeAfter);
        await Eventually.TrueAsync(async () => await SentEmailMessagesAsync(view.Id) == 2, TimeSpan.FromSeconds(20),
            "the ready e-mail and the first reminder are handled");

        Assert.Empty(await nodes.MailAsync(view.OrderId));
        Assert.Equal(["downloadReady", "notDownloadedYet"], await NudgesAsync(view.Id));
        await Eventually.TrueAsync(() => nodes.Notifications(view.Id).Count == 2, because: "in-app notifications do not depend on e-mail preferences");
    }

    [Fact]
    public async Task Resent_email_goes_out_even_when_delivery_emails_are_off()
    {
        var email = $"quiet-{Guid.NewGuid():N}@example.com";
        var account = nodes.Grains.GetGrain<IAccountGrain>(email);
        await account.RegisterAsync(new AccountRegistration("acc_quiet2", email, "Quiet Customer", "hash", [Roles.Customer]));
        await account.UpdateNotificationPreferencesAsync(new NotificationPreferences(DeliveryEmails: false));
        var productId = await nodes.NewDownloadProductAsync();
        var view = await nodes.DeliverAsync(productId, DeliveryKind.Download, accountId: "acc_quiet2", email: email);

        var result = await nodes.Grains.GetGrain<IDeliveryGrain>(view.Id).ResendDeliveryEmailAsync(new SelfServiceRequest("acc_quiet2", "203.0.113.7"));

        Assert.Equal(SelfServiceOutcome.Done, result.Outcome);
        var resent = Assert.Single(await MailUntilAsync(view.OrderId, 1));
        Assert.Equal("delivery-resent", resent.Kind);
        Assert.Equal(2, result.Link!.LinkId);
    }

    [Fact]
    public async Task Licence_key_ready_email_carries_the_key_and_no_download_reminders_are_set()
    {
        var productId = $"prod_{Guid.NewGuid():N}"[..17];
        await nodes.Grains.GetGrain<ILicenseKeyPoolGrain>(productId).AddKeysAsync(["NOVA-1111-2222-3333"]);

        var view = await nodes.DeliverAsync(productId, DeliveryKind.LicenseKey);

        var mail = Assert.Single(await MailUntilAsync(view.OrderId, 1));
        Assert.Equal("delivery-ready", mail.Kind);
        Assert.Contains("NOVA-1111-2222-3333", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("NOVA-1111-2222-3333", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(0, await RemindersAsync(view.Id, "nudge"));
        Assert.Equal(["licenseKeyReady"], await NudgesAsync(view.Id));
    }

    [Fact]
    public async Task Revoked_delivery_loses_its_reminder_and_its_link()
    {
        var productId = await nodes.NewDownloadProductAsync();
        var view = await nodes.DeliverAsync(productId, DeliveryKind.Download);
        var delivery = nodes.Grains.GetGrain<IDeliveryGrain>(view.Id);

        await delivery.RevokeAsync("the order was refunded");

        Assert.Equal(0, await RemindersAsync(view.Id, "nudge"));
        var decision = await delivery.StartDownloadAsync(new DownloadAttempt(view.Downloads!.Link!.LinkId, "203.0.113.7", null, 0));
        Assert.Equal(DownloadOutcome.Revoked, decision.Outcome);
        Assert.Null((await delivery.GetAsync())!.Downloads!.Link);
    }

    [Fact]
    public async Task Revoke_that_arrives_before_the_start_keeps_the_delivery_from_starting()
    {
        var productId = await nodes.NewDownloadProductAsync();
        var deliveryId = $"ord_{Guid.NewGuid():N}:1";
        var delivery = nodes.Grains.GetGrain<IDeliveryGrain>(deliveryId);

        await delivery.RevokeAsync("the order was refunded");
        await delivery.StartAsync(new DeliveryRequest(deliveryId[..^2], 1, productId, "Aurora", DeliveryKind.Download, null, "ada@example.com",
            nodes.Now, TimeSpan.FromMinutes(5)));

        Assert.Null(await delivery.GetAsync());
        Assert.Equal(0, await nodes.Database.ScalarAsync<int>("SELECT count(*)::int FROM outbox WHERE grain_key = $1", deliveryId));
    }

    [Fact]
    public async Task Ready_email_goes_out_once_when_the_node_dies_before_recording_it_sent()
    {
        var productId = await nodes.NewDownloadProductAsync();
        var first = nodes.Node;
        var neverDone = new TaskCompletionSource();
        first.Services.GetRequiredService<OutboxDispatcher>().BeforeMarkDone =
            message => message.MessageType == EmailMessage ? neverDone.Task : Task.CompletedTask;
        var view = await nodes.DeliverAsync(productId, DeliveryKind.Download);
        await MailUntilAsync(view.OrderId, 1);
        await first.KillAsync();

        var second = await nodes.StartNodeAsync();
        await second.Grains.GetGrain<IDeliveryGrain>(view.Id).ProvisioningSucceededAsync(1, new DeliveryResult());
        nodes.Clock.Advance(TimeSpan.FromMinutes(2)); // the dead node's lease on the e-mail runs out
        await Eventually.TrueAsync(async () => await SentEmailMessagesAsync(view.Id) == 1, TimeSpan.FromSeconds(20),
            "the surviving node dispatches the e-mail the dead one never marked sent");

        Assert.Equal(2, nodes.MailerCalls);
        var mail = Assert.Single(await nodes.MailAsync(view.OrderId));
        Assert.Equal("delivery-ready", mail.Kind);
        Assert.Equal(1, await nodes.Database.ScalarAsync<int>("SELECT count(*)::int FROM outbox WHERE message_type = $1 AND grain_key = $2", EmailMessage, view.Id));
        Assert.Equal(["downloadReady"], await NudgesAsync(view.Id));
    }
}
