using System.Globalization;
using System.Net;
using Courier.Grains.Accounts;
using Courier.Grains.Mail;
using Courier.Silo.Adapters.Mail;
using Courier.Silo.Outbox;
using Courier.Silo.Security;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Accounts;

/// <summary>
/// The one place that builds and checks password-reset tokens. A token names an account and one
/// reset request and carries an HMAC-SHA256 of both under a key only Courier knows
/// (a <see cref="ProtectedSecrets"/> entry). The database holds the request's id, never a usable
/// token; the account grain decides whether the request is still the current, unexpired, unused one.
/// </summary>
internal sealed record PasswordResetToken(string AccountId, string ResetId)
{
    public const string PagePath = "/reset-password";
    private const string Version = "reset-v1";
    private const int MaxTokenLength = 400;

    public string Token(ReadOnlySpan<byte> key) => SignedToken.Create(key, Version, AccountId, ResetId);

    /// <summary>The reset request a token stands for, or null when it is malformed or its signature is wrong.</summary>
    public static PasswordResetToken? Read(string? token, ReadOnlySpan<byte> key) =>
        SignedToken.Open(token, key, MaxTokenLength) is [Version, { Length: > 0 } accountId, { Length: > 0 } resetId]
            ? new PasswordResetToken(accountId, resetId)
            : null;
}

/// <summary>Password-reset tokens under the store's own key, made on first use.</summary>
internal sealed class PasswordResetLinks(ProtectedSecrets secrets)
{
    private const string KeyName = "password-reset-links";
    private const int KeyLength = 32;

    public async Task<string> PathAsync(string accountId, string resetId, CancellationToken cancellationToken = default) =>
        $"{PasswordResetToken.PagePath}?token={Uri.EscapeDataString(new PasswordResetToken(accountId, resetId).Token(await KeyAsync(cancellationToken).ConfigureAwait(false)))}";

    public async Task<PasswordResetToken?> ReadAsync(string? token, CancellationToken cancellationToken = default) =>
        PasswordResetToken.Read(token, await KeyAsync(cancellationToken).ConfigureAwait(false));

    private Task<byte[]> KeyAsync(CancellationToken cancellationToken) => secrets.GetOrCreateAsync(KeyName, KeyLength, cancellationToken);
}

/// <summary>Sends the reset e-mail, signing its link when it goes out (the outbox row holds only the request's id).</summary>
internal sealed class SendPasswordResetEmailHandler(IMailer mailer, PasswordResetLinks links, IOptions<MailOptions> mail)
    : IOutboxHandler<SendPasswordResetEmail>
{
    public async Task HandleAsync(SendPasswordResetEmail message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var store = mail.Value.PublicUrl.ToString().TrimEnd('/');
        var link = store + await links.PathAsync(message.AccountId, message.ResetId, cancellationToken).ConfigureAwait(false);
        var until = message.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var from = message.IpAddress is { } ip ? $" from {ip}" : "";
        var text = $"Someone{from} asked to reset the password of your account.\n\n" +
            $"Choose a new password: {link}\nThis link works once, until {until}.\n\n" +
            "If you did not ask for this, ignore this e-mail: your password stays as it is.\n";
        var html = $"<p>Someone{WebUtility.HtmlEncode(from)} asked to reset the password of your account.</p>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Choose a new password</a></p><p>This link works once, until {until}.</p>" +
            "<p>If you did not ask for this, ignore this e-mail: your password stays as it is.</p>";
        await mailer.SendAsync(new OutgoingEmail(message.To, "Reset your password", text, html, "password-reset", OrderId: null),
            delivery.MessageId, cancellationToken).ConfigureAwait(false);
    }
}
