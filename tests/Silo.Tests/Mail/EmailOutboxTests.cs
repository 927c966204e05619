using System.Text.Json;
using Courier.Grains.Mail;
using Courier.Silo.Adapters.Mail;
using Courier.Silo.Hosting;
using Courier.Silo.Outbox;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Courier.TestSupport.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Mail;

/// <summary>E-mails leave through the outbox and the SMTP mailer to a real SMTP server, on PostgreSQL.</summary>
public sealed class EmailOutboxTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private LocalSmtpServer server = null!;
    private TestSilo node = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        server = await LocalSmtpServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:SmtpHost"] = "127.0.0.1",
            ["Mail:SmtpPort"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:SmtpSecurity"] = "None",
            ["Mail:PublicUrl"] = "https://shop.example.test",
        }).Build();
        node = await TestSilo.StartAsync(database.ConnectionString, services =>
        {
            services.AddMail(configuration);
            services.AddOutboxHandler<SendEmail, SendEmailHandler>();
        }, runtime =>
        {
            runtime.OutboxRetryBase = TimeSpan.FromMilliseconds(50);
            runtime.OutboxMaxAttempts = 5;
        });
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await server.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<Guid> SendAsync(SendEmail email)
    {
        var message = new OutboxRecord(Guid.CreateVersion7(), OutboxMessageTypes.NameOf(typeof(SendEmail)), JsonSerializer.Serialize(email, GrainJson.Options));
        var grain = new GrainName("test.mail", message.Id.ToString());
        await node.Store.CommitAsync(new GrainCommit(grain, 0, "{}", DateTimeOffset.UtcNow, [], [message], [], [], [], null), default);
        return message.Id;
    }

    private static SendEmail Receipt(string to) =>
        new(to, "Your receipt", "See your order at {base}/account/orders/ord_1", "<p><a href=\"{base}/account/orders/ord_1\">Your order</a></p>", "receipt", "ord_1");

    [Fact]
    public async Task Email_the_relay_puts_off_with_a_4xx_is_retried_by_the_outbox_until_it_goes_out()
    {
        server.DeferNextMessages(2);

        var id = await SendAsync(Receipt("buyer@example.test"));

        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Done, 10, default)).Count == 1, because: "sent on the third attempt");
        var mail = Assert.Single(server.Received);
        Assert.Equal($"{id}@courier", mail.Message.MessageId);
        Assert.Contains("https://shop.example.test/account/orders/ord_1", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Empty(await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default));
    }

    [Fact]
    public async Task Email_whose_recipient_the_relay_refuses_with_a_5xx_is_dead_lettered_at_once_naming_the_refusal()
    {
        server.RefuseRecipient("nobody@example.test");

        var id = await SendAsync(Receipt("nobody@example.test"));

        await Eventually.TrueAsync(async () => (await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default)).Count == 1, because: "dead-lettered");
        var dead = Assert.Single(await node.Outbox.ListOutboxAsync(OutboxStatus.Dead, 10, default));
        Assert.Equal(id, dead.Id);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("refused the recipient nobody@example.test", dead.LastError, StringComparison.Ordinal);
        Assert.Contains("550", dead.LastError, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }
}
