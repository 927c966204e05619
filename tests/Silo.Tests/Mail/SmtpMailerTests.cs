using Courier.Grains.Mail;
using Courier.Silo.Adapters.Mail;
using Courier.Silo.Outbox;
using Courier.TestSupport.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Tests.Mail;

/// <summary>The SMTP mailer against a real SMTP server on this machine.</summary>
public sealed class SmtpMailerTests : IAsyncLifetime
{
    private LocalSmtpServer server = null!;
    private readonly List<SmtpMailer> mailers = [];

    public async Task InitializeAsync() => server = await LocalSmtpServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var mailer in mailers) await mailer.DisposeAsync();
        await server.DisposeAsync();
    }

    private SmtpMailer Mailer(LocalSmtpServer relay, Action<MailOptions>? configure = null)
    {
        var options = new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = relay.Port, SmtpSecurity = SmtpSecurity.None, From = "Aurora Shop <orders@shop.test>" };
        configure?.Invoke(options);
        var mailer = new SmtpMailer(Options.Create(options), NullLogger<SmtpMailer>.Instance);
        mailers.Add(mailer);
        return mailer;
    }

    private static OutgoingEmail Email(string to = "buyer@example.test", string subject = "Your receipt for order ord_1") =>
        new(to, subject, "Thank you for your order.\nTotal: €12.00", "<p>Thank you for your order.</p><p>Total: <strong>€12.00</strong></p>", "receipt", "ord_1");

    [Fact]
    public async Task Sent_email_arrives_with_its_subject_addresses_text_and_html_parts_and_the_outbox_id_as_Message_ID()
    {
        var messageId = Guid.CreateVersion7();

        await Mailer(server).SendAsync(Email(), messageId, default);

        var mail = Assert.Single(server.Received);
        Assert.Equal(["buyer@example.test"], mail.Recipients);
        Assert.Equal("Your receipt for order ord_1", mail.Message.Subject);
        Assert.Equal("buyer@example.test", Assert.Single(mail.Message.To.Mailboxes).Address);
        Assert.Equal("orders@shop.test", Assert.Single(mail.Message.From.Mailboxes).Address);
        Assert.Equal("Aurora Shop", Assert.Single(mail.Message.From.Mailboxes).Name);
        Assert.Equal("Thank you for your order.\nTotal: €12.00", (mail.Message.TextBody ?? "").TrimEnd().ReplaceLineEndings("\n"));
        Assert.Contains("<strong>€12.00</strong>", mail.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal($"{messageId}@courier", mail.Message.MessageId);
        Assert.Null(mail.SignedInAs);
    }

    [Fact]
    public async Task Emails_sent_one_after_another_and_at_the_same_time_share_one_connection()
    {
        var mailer = Mailer(server);

        await mailer.SendAsync(Email(subject: "first"), Guid.CreateVersion7(), default);
        await mailer.SendAsync(Email(subject: "second"), Guid.CreateVersion7(), default);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => mailer.SendAsync(Email(subject: $"together {i}"), Guid.CreateVersion7(), default)));

        Assert.Equal(6, server.Received.Count);
        Assert.Equal(1, server.Connections);
        Assert.Single(server.Received.Select(m => m.ConnectionId).Distinct());
    }

    [Fact]
    public async Task Email_after_the_relay_closed_the_idle_connection_goes_out_on_a_new_one()
    {
        await using var impatient = await LocalSmtpServer.StartAsync(idleTimeout: TimeSpan.FromMilliseconds(300));
        var mailer = Mailer(impatient);
        await mailer.SendAsync(Email(subject: "before the pause"), Guid.CreateVersion7(), default);

        await Task.Delay(TimeSpan.FromSeconds(1));
        await mailer.SendAsync(Email(subject: "after the pause"), Guid.CreateVersion7(), default);

        Assert.Equal(["before the pause", "after the pause"], impatient.Received.Select(m => m.Message.Subject));
        Assert.Equal(2, impatient.Connections);
    }

    [Fact]
    public async Task Configured_user_signs_in_once_per_connection_and_a_wrong_password_is_left_to_retry()
    {
        await using var guarded = await LocalSmtpServer.StartAsync(user: "relay-user", password: "relay-s3cret");
        var mailer = Mailer(guarded, o => { o.SmtpUser = "relay-user"; o.SmtpPassword = "relay-s3cret"; });
        var wrong = Mailer(guarded, o => { o.SmtpUser = "relay-user"; o.SmtpPassword = "not-it"; });

        await mailer.SendAsync(Email(subject: "first"), Guid.CreateVersion7(), default);
        await mailer.SendAsync(Email(subject: "second"), Guid.CreateVersion7(), default);
        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => wrong.SendAsync(Email(subject: "never"), Guid.CreateVersion7(), default));

        Assert.Equal(["relay-user", "relay-user"], guarded.Received.Select(m => m.SignedInAs));
        Assert.Equal(1, mailer.ConnectionsOpened);
        Assert.IsNotType<PermanentOutboxFailureException>(refused);
    }

    [Fact]
    public async Task Email_the_relay_puts_off_with_a_4xx_is_thrown_for_a_retry_that_then_goes_out()
    {
        var mailer = Mailer(server);
        server.DeferNextMessages(1);
        var messageId = Guid.CreateVersion7();

        var deferred = await Assert.ThrowsAsync<SmtpCommandException>(() => mailer.SendAsync(Email(), messageId, default));
        await mailer.SendAsync(Email(), messageId, default);

        Assert.Equal(451, (int)deferred.StatusCode);
        Assert.Equal($"{messageId}@courier", Assert.Single(server.Received).Message.MessageId);
    }

    [Fact]
    public async Task Recipient_the_relay_refuses_with_a_5xx_fails_for_good_naming_the_refusal_and_the_next_email_still_goes()
    {
        var mailer = Mailer(server);
        server.RefuseRecipient("nobody@example.test");

        var refused = await Assert.ThrowsAsync<PermanentOutboxFailureException>(() => mailer.SendAsync(Email(to: "nobody@example.test"), Guid.CreateVersion7(), default));
        await mailer.SendAsync(Email(), Guid.CreateVersion7(), default);

        Assert.Contains("refused the recipient nobody@example.test", refused.Message, StringComparison.Ordinal);
        Assert.Contains("550", refused.Message, StringComparison.Ordinal);
        Assert.Contains("No such user here", refused.Message, StringComparison.Ordinal);
        Assert.Equal("buyer@example.test", Assert.Single(server.Received).Recipients.Single());
    }

    [Fact]
    public async Task StartTls_never_falls_back_to_sending_in_the_clear_to_a_relay_that_does_not_offer_it()
    {
        var mailer = Mailer(server, o => o.SmtpSecurity = SmtpSecurity.StartTls);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => mailer.SendAsync(Email(), Guid.CreateVersion7(), default));

        Assert.Contains("STARTTLS", failure.Message, StringComparison.Ordinal);
        Assert.IsNotType<PermanentOutboxFailureException>(failure);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Address_that_is_not_one_fails_for_good_without_reaching_the_relay()
    {
        var refused = await Assert.ThrowsAsync<PermanentOutboxFailureException>(() =>
            Mailer(server).SendAsync(Email(to: "not an address"), Guid.CreateVersion7(), default));

        Assert.Contains("\"not an address\" is not an e-mail address", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }
}
