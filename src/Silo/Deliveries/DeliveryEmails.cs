using System.Globalization;
using System.Net;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Runtime;
using Courier.Grains.Deliveries;
using Courier.Grains.Mail;
using Courier.Silo.Adapters.Mail;
using Courier.Silo.Outbox;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Deliveries;

/// <summary>
/// Sends a delivery e-mail: signs its download link, honours the account's "delivery e-mails"
/// preference (read when the e-mail goes out; a re-send the customer asked for always goes), and
/// sends once per outbox message id.
/// </summary>
internal sealed class SendDeliveryEmailHandler(IGrainFactory grains, IMailer mailer, DownloadLinks links, IOptions<MailOptions> mail)
    : IOutboxHandler<SendDeliveryEmail>
{
    public async Task HandleAsync(SendDeliveryEmail message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        if (message.Kind != DeliveryEmailKind.Resent && message.AccountId is { } accountId
            && !await WantsDeliveryEmailsAsync(accountId, message.To).ConfigureAwait(false))
            return;
        var store = mail.Value.PublicUrl.ToString().TrimEnd('/');
        var link = message.Link is { } grant ? store + await links.PathAsync(message.DeliveryId, grant, cancellationToken).ConfigureAwait(false) : null;
        await mailer.SendAsync(DeliveryEmails.Compose(message, store, link), delivery.MessageId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> WantsDeliveryEmailsAsync(string accountId, string email)
    {
        var account = grains.GetGrain<IAccountGrain>(AccountEmail.Normalize(email));
        if ((await account.GetAsync().ConfigureAwait(false))?.Id != accountId) return true;
        return (await account.GetNotificationPreferencesAsync().ConfigureAwait(false)).DeliveryEmails;
    }
}

/// <summary>The words of the delivery e-mails.</summary>
internal static class DeliveryEmails
{
    public static OutgoingEmail Compose(SendDeliveryEmail message, string store, string? link)
    {
        var orderPage = $"{store}/account/orders/{message.OrderId}";
        var title = message.ProductTitle;
        var (kind, subject, text, html) = (message.Kind, message.DeliveryKind) switch
        {
            (DeliveryEmailKind.NotDownloadedYet, _) => ("delivery-not-downloaded", $"You haven't downloaded {title} yet",
                $"{title} is waiting for you.\n\n{DownloadText(message, link, orderPage)}",
                $"<p><strong>{Html(title)}</strong> is waiting for you.</p>{DownloadHtml(message, link, orderPage)}"),
            (_, DeliveryKind.LicenseKey) => (KindOf(message), $"Your licence key for {title}",
                $"Your licence key for {title}:\n\n    {message.LicenseKey}\n\nIt is also on your order page: {orderPage}\n",
                $"<p>Your licence key for <strong>{Html(title)}</strong>:</p><p><code>{Html(message.LicenseKey ?? "")}</code></p>" +
                $"<p>It is also on <a href=\"{Html(orderPage)}\">your order page</a>.</p>"),
            (_, DeliveryKind.SiteAccess) => (KindOf(message), $"Your site is ready: {title}",
                $"{title} is live.\n\nYour sign-in details are on your order page, where only you can see them: {orderPage}\n" +
                "For your security they are never sent by e-mail.\n",
                $"<p><strong>{Html(title)}</strong> is live.</p><p>Your sign-in details are on <a href=\"{Html(orderPage)}\">your order page</a>, " +
                "where only you can see them. For your security they are never sent by e-mail.</p>"),
            _ => (KindOf(message), $"Your download is ready: {title}",
                $"{title} is ready.\n\n{DownloadText(message, link, orderPage)}",
                $"<p><strong>{Html(title)}</strong> is ready.</p>{DownloadHtml(message, link, orderPage)}"),
        };
        return new OutgoingEmail(message.To, subject, text, html, kind, message.OrderId);
    }

    private static string KindOf(SendDeliveryEmail message) => message.Kind == DeliveryEmailKind.Resent ? "delivery-resent" : "delivery-ready";

    private static string DownloadText(SendDeliveryEmail message, string? link, string orderPage) =>
        (link is null ? "" : $"Download it: {link}\nThis link works until {Expiry(message)}{Left(message)}.\n\n") +
        $"If the link has expired, make a new one on your order page: {orderPage}\n";

    private static string DownloadHtml(SendDeliveryEmail message, string? link, string orderPage) =>
        (link is null ? "" : $"<p><a href=\"{Html(link)}\">Download it</a></p><p>This link works until {Expiry(message)}{Left(message)}.</p>") +
        $"<p>If the link has expired, make a new one on <a href=\"{Html(orderPage)}\">your order page</a>.</p>";

    private static string Expiry(SendDeliveryEmail message) =>
        message.Link!.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Left(SendDeliveryEmail message) => message.DownloadsLeft switch
    {
        null => "",
        1 => "; you have 1 download left",
        { } left => $"; you have {left} downloads left",
    };

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
