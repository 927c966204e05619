using System.Globalization;
using System.Text.Json;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Silo.Commerce;

namespace Courier.WebFront.Pages.Account;

/// <summary>One line of the order timeline as the customer reads it.</summary>
/// <param name="Subject">The product a delivery entry is about (its short title); null for the order's own entries.</param>
/// <param name="Tone">success, warning, danger, accent or neutral.</param>
public sealed record TimelineItem(DateTimeOffset At, string Title, string? Detail, string Icon, string Tone, string? Subject);

/// <summary>
/// Turns journal entries (the <c>timeline</c> of GET /api/orders/{id}) into plain language, by the
/// stored name of their kind (its <c>[Alias]</c>, which never changes), not by class name.
/// Client/src/pages/order.ts has the same table for entries that arrive live. An entry kind this
/// table does not know still shows, under its own name.
/// </summary>
internal static class TimelineText
{
    public static TimelineItem Describe(TimelineEntry entry, Func<string, string?> productOfDelivery)
    {
        var data = entry.Data;
        var subject = entry.DeliveryId is { } id ? productOfDelivery(id) : null;
        var cause = Sentence(Text(data, "cause"));
        var (title, detail, icon, tone) = entry.Kind switch
        {
            "OrderStepped" => OrderStep(Text(data, "to"), cause),
            "OrderNoted" => (Sentence(Text(data, "note")) ?? "Note", null, "receipt", "neutral"),
            "DeliveryStepped" => DeliveryStep(Text(data, "to"), cause),
            "DeliveryDelayed" => ("Taking longer than usual", Sentence(Text(data, "reason")), "hourglass", "warning"),
            "DeliveryAssignedToTechnician" => ("A technician is on it", Sentence(Text(data, "reason")), "wrench", "warning"),
            "DeliveryDownloaded" => ("Downloaded", Number(data, "used") is { } used && Number(data, "limit") is { } limit ? $"{used} of {limit} downloads used" : null, "download", "success"),
            "DownloadLinkRenewed" => ("New download link", cause, "link", "accent"),
            "DeliveryEmailResent" => ("Delivery e-mail sent again", null, "send", "accent"),
            "DownloadsGranted" => (Number(data, "extra") is { } extra ? $"{extra} more download{(extra == 1 ? "" : "s")} allowed" : "More downloads allowed", Sentence(Text(data, "reason")), "plus", "accent"),
            "DeliveryNudged" => (Text(data, "nudge") switch
            {
                "downloadReady" => "“Your download is ready” e-mail sent",
                "licenseKeyReady" => "Licence key e-mailed",
                "siteReady" => "“Your site is ready” e-mail sent",
                "notDownloadedYet" => "Reminder e-mail: not downloaded yet",
                _ => "E-mail sent",
            }, null, "mail", "neutral"),
            "SiteAccountCreated" => ("Site account created", "Your sign-in details are ready on this page", "globe", "success"),
            "SiteCredentialsRotated" => ("Site password changed", cause ?? "The previous password stopped working", "rotate-ccw", "accent"),
            "SiteAccessRevoked" => ("Site access withdrawn", Sentence(Text(data, "reason")), "ban", "neutral"),
            var other => (Humanize(other), cause, "circle-dot", "neutral"),
        };
        return new TimelineItem(entry.At, title, detail, icon, tone, subject);
    }

    private static (string, string?, string, string) OrderStep(string? to, string? cause) => to switch
    {
        nameof(OrderStatus.PendingPayment) => ("Order placed", null, "receipt", "neutral"),
        nameof(OrderStatus.Paid) => ("Payment received", null, "credit-card", "success"),
        nameof(OrderStatus.Fulfilling) => ("Delivery started", null, "package", "accent"),
        nameof(OrderStatus.Fulfilled) => ("Everything delivered", null, "check-circle-2", "success"),
        nameof(OrderStatus.Completed) => ("Order completed", null, "check-circle-2", "success"),
        nameof(OrderStatus.PaymentFailed) => ("Payment failed", cause, "circle-x", "danger"),
        nameof(OrderStatus.Expired) => ("Checkout expired", cause, "clock", "neutral"),
        nameof(OrderStatus.Cancelled) => ("Order cancelled", cause, "ban", "neutral"),
        nameof(OrderStatus.OnHold) => ("Order on hold", cause, "hourglass", "warning"),
        nameof(OrderStatus.PartiallyRefunded) => ("Partly refunded", cause, "rotate-ccw", "neutral"),
        nameof(OrderStatus.Refunded) => ("Refunded", cause, "rotate-ccw", "neutral"),
        _ => ("Order updated", cause, "circle-dot", "neutral"),
    };

    private static (string, string?, string, string) DeliveryStep(string? to, string? cause) => to switch
    {
        nameof(DeliveryStatus.Pending) => ("Queued for delivery", null, "clock", "neutral"),
        nameof(DeliveryStatus.Processing) => ("Preparing", cause, "loader-circle", "accent"),
        nameof(DeliveryStatus.Retrying) => ("Retrying automatically", cause, "refresh-cw", "warning"),
        nameof(DeliveryStatus.Ready) => ("Ready", cause, "check-circle-2", "success"),
        nameof(DeliveryStatus.Downloaded) => ("Downloaded", cause, "download", "success"),
        nameof(DeliveryStatus.Completed) => ("Completed", cause, "check-circle-2", "success"),
        nameof(DeliveryStatus.Failed) => ("Delivery failed", cause, "circle-x", "danger"),
        nameof(DeliveryStatus.Escalated) => ("Handed to a technician", cause, "wrench", "danger"),
        nameof(DeliveryStatus.Revoked) => ("Revoked", cause, "ban", "neutral"),
        _ => ("Delivery updated", cause, "circle-dot", "neutral"),
    };

    /// <summary>"Aurora — SaaS Landing Page Template" reads as "Aurora" on the timeline.</summary>
    public static string ShortTitle(string title)
    {
        var dash = title.IndexOf(" — ", StringComparison.Ordinal);
        return dash > 0 ? title[..dash] : title;
    }

    private static string? Text(JsonElement data, string property) => DeliveryProgress.Text(data, property);

    private static int? Number(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(property, out var value) && value.TryGetInt32(out var number) ? number : null;

    private static string? Sentence(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    /// <summary>"SomethingHappened" → "Something happened".</summary>
    private static string Humanize(string kind)
    {
        var words = new System.Text.StringBuilder();
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ').Append(char.ToLowerInvariant(c));
            else words.Append(c);
        }
        return words.ToString();
    }
}
