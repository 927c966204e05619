using Courier.Abstractions.Runtime;
using Orleans;
namespace Courier.Grains.Mail;

/// <summary>
/// An outbox message: one e-mail to send. Links in the bodies may start with "{base}", which the
/// mailer replaces with the store's public address.
/// </summary>
[Alias("Courier.Grains.Mail.SendEmail")]
public sealed record SendEmail(string To, string Subject, string TextBody, string HtmlBody, string Kind, string? OrderId) : IOutboxMessage;
