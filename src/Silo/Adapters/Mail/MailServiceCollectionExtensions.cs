using Courier.Grains.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Courier.Silo.Adapters.Mail;

internal static class MailServiceCollectionExtensions
{
    /// <summary>The "Mail" settings, checked at start-up, and the mailer they choose: SMTP when Mail:SmtpHost is set, else the database mailbox.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section))
            .Validate(o => MailboxAddress.TryParse(o.From, out _), "Mail:From must be an e-mail address, e.g. \"Your Shop <orders@example.com>\".")
            .Validate(o => o.SmtpPort is > 0 and <= 65535, "Mail:SmtpPort must be a port number (587 for STARTTLS, 465 for TLS, 25 for a local relay).")
            .Validate(o => o.SmtpTimeout > TimeSpan.Zero, "Mail:SmtpTimeout must be positive, e.g. 00:00:20.")
            .Validate(o => string.IsNullOrEmpty(o.SmtpUser) || !string.IsNullOrEmpty(o.SmtpPassword),
                "Mail:SmtpUser is set but Mail:SmtpPassword is empty: set the relay's password (Mail__SmtpPassword), or leave both empty to send without signing in.")
            .ValidateOnStart();
        services.TryAddSingleton<DatabaseMailbox>();
        services.TryAddSingleton<IMailer>(sp => string.IsNullOrEmpty(sp.GetRequiredService<IOptions<MailOptions>>().Value.SmtpHost)
            ? sp.GetRequiredService<DatabaseMailbox>()
            : new SmtpMailer(sp.GetRequiredService<IOptions<MailOptions>>(), sp.GetRequiredService<ILogger<SmtpMailer>>()));
        return services;
    }
}
