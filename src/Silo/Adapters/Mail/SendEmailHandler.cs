using Courier.Grains.Mail;
using Courier.Silo.Outbox;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Adapters.Mail;

internal sealed class SendEmailHandler(IMailer mailer, IOptions<MailOptions> options) : IOutboxHandler<SendEmail>
{
    public Task HandleAsync(SendEmail message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.PublicUrl.ToString().TrimEnd('/');
        var email = new OutgoingEmail(message.To, message.Subject,
            message.TextBody.Replace("{base}", baseUrl, StringComparison.Ordinal),
            message.HtmlBody.Replace("{base}", baseUrl, StringComparison.Ordinal),
            message.Kind, message.OrderId);
        return mailer.SendAsync(email, delivery.MessageId, cancellationToken);
    }
}
