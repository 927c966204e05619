namespace Courier.Silo.Adapters.Mail;

/// <summary>Configuration section "Mail".</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The store's public address, used in links inside e-mails.</summary>
    public Uri PublicUrl { get; set; } = new("http://127.0.0.1:5080");

    public string From { get; set; } = "Courier <orders@courier.test>";

    /// <summary>Set to send through SMTP; left empty, mail is kept in the database mailbox (/dev/mail).</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public bool SmtpTls { get; set; } = true;
}
