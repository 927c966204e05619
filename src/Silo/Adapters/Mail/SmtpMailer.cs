using System.Net.Sockets;
using Courier.Grains.Mail;
using Courier.Silo.Outbox;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Courier.Silo.Adapters.Mail;

/// <summary>
/// Sends through an SMTP relay with MailKit over one connection kept open across messages: signed
/// in once, opened again when the relay dropped it. The outbox sends concurrently, so messages take
/// turns on it. SMTP cannot deduplicate, so the outbox message id goes out as the Message-ID for the
/// receiving side. A refusal meant for good (a 5xx answer to the sender, the recipient or the
/// message, an address that is not one) is a <see cref="PermanentOutboxFailureException"/>, which
/// dead-letters the message at once; anything else (4xx answers, a lost connection, a timeout, a
/// failed sign-in) is thrown as it is, so the outbox tries again.
/// </summary>
internal sealed partial class SmtpMailer(IOptions<MailOptions> options, ILogger<SmtpMailer> log) : IMailer, IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private SmtpClient? client;

    public async Task SendAsync(OutgoingEmail email, Guid messageId, CancellationToken cancellationToken)
    {
        using var message = Compose(email, messageId, options.Value);
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reused = client is { IsConnected: true };
            try
            {
                await SendOnceAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (reused && IsConnectionLost(ex) && !cancellationToken.IsCancellationRequested)
            {
                // Relays close idle connections (most after a few minutes): open a new one now rather than wait for a retry.
                LogReconnecting(ex);
                await SendOnceAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500 && ex.ErrorCode != SmtpErrorCode.UnexpectedStatusCode)
        {
            throw new PermanentOutboxFailureException(Refusal(ex, email), ex);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>How many connections this mailer opened so far (each one signed in once when a user is set).</summary>
    internal int ConnectionsOpened { get; private set; }

    private async Task SendOnceAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var smtp = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
            await smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A failed exchange can leave the session anywhere: the next message starts on a fresh one.
            Drop(quit: false);
            throw;
        }
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (client is { IsConnected: true } open) return open;
        Drop(quit: false);
        var settings = options.Value;
        var smtp = new SmtpClient { Timeout = (int)settings.SmtpTimeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(settings.SmtpHost ?? "", settings.SmtpPort, SocketOptions(settings.EffectiveSecurity), cancellationToken).ConfigureAwait(false);
            if (settings.SmtpUser is { Length: > 0 } user)
                await smtp.AuthenticateAsync(user, settings.SmtpPassword ?? "", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
        ConnectionsOpened++;
        client = smtp;
        return smtp;
    }

    private void Drop(bool quit)
    {
        if (client is not { } smtp) return;
        client = null;
        try
        {
            if (smtp.IsConnected) smtp.Disconnect(quit);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ProtocolException or OperationCanceledException or TimeoutException)
        {
            // Saying goodbye is a courtesy: the socket closes either way.
        }
        finally
        {
            smtp.Dispose();
        }
    }

    internal static MimeMessage Compose(OutgoingEmail email, Guid messageId, MailOptions settings)
    {
        if (!MailboxAddress.TryParse(email.To, out var to) || string.IsNullOrEmpty(to.Domain))
            throw new PermanentOutboxFailureException($"\"{email.To}\" is not an e-mail address a mail server can take; the e-mail \"{email.Subject}\" was not sent.");
        var message = new MimeMessage { Subject = email.Subject, MessageId = $"{messageId}@courier" };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(to);
        message.Body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody }.ToMessageBody();
        return message;
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>The relay hung up: the socket closed, or it answered that it is closing the connection (421; some say 221 on an idle timeout).</summary>
    private static bool IsConnectionLost(Exception ex) =>
        ex is ServiceNotConnectedException or SmtpProtocolException or IOException or SocketException
        || (ex is SmtpCommandException command && command.StatusCode is SmtpStatusCode.ServiceNotAvailable or SmtpStatusCode.ServiceClosingTransmissionChannel);

    private static string Refusal(SmtpCommandException ex, OutgoingEmail email)
    {
        var answer = $"{(int)ex.StatusCode} {ex.Message}";
        return ex.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"The mail server refused the recipient {ex.Mailbox?.Address ?? email.To} for good ({answer}); the e-mail \"{email.Subject}\" was not sent.",
            SmtpErrorCode.SenderNotAccepted => $"The mail server refused the sender {ex.Mailbox?.Address} for good ({answer}); check Mail__From. The e-mail \"{email.Subject}\" to {email.To} was not sent.",
            _ => $"The mail server refused the e-mail \"{email.Subject}\" to {email.To} for good ({answer}).",
        };
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (!turn.Wait(TimeSpan.FromSeconds(5))) return; // a send is still stuck on the relay: its timeout ends it
        try
        {
            Drop(quit: true);
        }
        finally
        {
            turn.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The SMTP relay closed the connection kept open; sending on a new one")]
    private partial void LogReconnecting(Exception ex);
}
