namespace Courier.Grains.Mail;

/// <summary>Sends e-mail (SMTP in production; a database mailbox in the embedded demo and tests).</summary>
public interface IMailer
{
    /// <summary>Sends once per <paramref name="messageId"/>: a repeated id must not send a second e-mail where the transport can tell.</summary>
    Task SendAsync(OutgoingEmail email, Guid messageId, CancellationToken cancellationToken);
}

public sealed record OutgoingEmail(string To, string Subject, string TextBody, string HtmlBody, string Kind, string? OrderId);
