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

    /// <summary>Signs in to the relay when set (with <see cref="SmtpPassword"/>); anonymous otherwise.</summary>
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>How the connection to the relay is secured; unset, <see cref="SmtpTls"/> decides.</summary>
    public SmtpSecurity? SmtpSecurity { get; set; }

    /// <summary>The setting before <see cref="SmtpSecurity"/>: true (the default) requires STARTTLS, false sends in the clear.</summary>
    public bool SmtpTls { get; set; } = true;

    /// <summary>How long one exchange with the relay (connect, a command, the message) may take.</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(20);

    internal SmtpSecurity EffectiveSecurity => SmtpSecurity ?? (SmtpTls ? Mail.SmtpSecurity.StartTls : Mail.SmtpSecurity.None);
}

public enum SmtpSecurity
{
    /// <summary>TLS on port 465, otherwise STARTTLS if the relay offers it (and plain text if it does not).</summary>
    Auto,

    /// <summary>Plain text: only for a relay on the same host or network.</summary>
    None,

    /// <summary>Connect in plain text and upgrade with STARTTLS; a relay that does not offer it is refused.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Tls,
}
