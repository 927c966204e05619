using System.Net;
using System.Net.Mail;
using Courier.Grains.Mail;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Adapters.Mail;

/// <summary>
/// Sends through an SMTP relay with System.Net.Mail (MailKit is not available here). SMTP cannot
/// deduplicate, so the message id goes out as the Message-ID header for the receiving side.
/// </summary>
internal sealed class SmtpMailer(IOptions<MailOptions> options) : IMailer
{
    public async Task SendAsync(OutgoingEmail email, Guid messageId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = email.Subject,
            Body = email.HtmlBody,
            IsBodyHtml = true,
        };
        message.To.Add(email.To);
        message.Headers.Add("Message-ID", $"<{messageId}@courier>");
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.TextBody, null, "text/plain"));
        using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.SmtpTls };
        if (settings.SmtpUser is { Length: > 0 } user)
            client.Credentials = new NetworkCredential(user, settings.SmtpPassword);
        await client.SendMailAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
