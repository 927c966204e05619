using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;

namespace Courier.Grains.Deliveries;

/// <summary>Which nudges a delivery sent and which reminders it still has for them.</summary>
public sealed class NudgeState
{
    public bool ReadyAnnounced { get; set; }
    public int NotDownloadedSent { get; set; }
    public DateTimeOffset? NextNudgeAt { get; set; }
    public DateTimeOffset? CompleteAt { get; set; }
}

/// <summary>
/// Nudges, from durable reminders: "ready" once when the delivery becomes ready; for downloads,
/// "you haven't downloaded yet" 24 h and 72 h after ready while nothing was downloaded; and
/// Completed 7 days after the first download.
/// </summary>
internal sealed partial class DeliveryGrain
{
    public static readonly TimeSpan FirstNudgeAfter = TimeSpan.FromHours(24);
    public static readonly TimeSpan SecondNudgeAfter = TimeSpan.FromHours(72);
    public static readonly TimeSpan CompleteAfterFirstDownload = TimeSpan.FromDays(7);
    private const string Nudge = "nudge";
    private const string Complete = "complete";

    /// <summary>A reminder e-mail carries the current link unless it expires within this; then a new one.</summary>
    private static readonly TimeSpan LinkMarginForNudge = TimeSpan.FromHours(1);

    /// <summary>Runs after every step: starts the nudges of the new status and cancels those it ends.</summary>
    private void OnEntered(DeliveryStatus status)
    {
        var nudges = State.Nudges;
        if (status != DeliveryStatus.Ready && nudges.NextNudgeAt is not null)
        {
            grain.CancelReminder(Nudge);
            nudges.NextNudgeAt = null;
        }
        if (status != DeliveryStatus.Downloaded && nudges.CompleteAt is not null)
        {
            grain.CancelReminder(Complete);
            nudges.CompleteAt = null;
        }
        if (status is DeliveryStatus.Ready or DeliveryStatus.Downloaded or DeliveryStatus.Completed)
            grain.Send(new ReportDeliveryProgress(Request.OrderId, Request.Line, status));
        switch (status)
        {
            case DeliveryStatus.Ready:
                AnnounceReady();
                break;
            case DeliveryStatus.Downloaded:
                nudges.CompleteAt = grain.Now + CompleteAfterFirstDownload;
                grain.Remind(Complete, nudges.CompleteAt.Value);
                break;
        }
    }

    private void AnnounceReady()
    {
        if (State.Nudges.ReadyAnnounced) return;
        State.Nudges.ReadyAnnounced = true;
        if (Request.Kind == DeliveryKind.SiteAccess)
        {
            // The sign-in details stay on the order page: the e-mail only says where to find them.
            Email(DeliveryEmailKind.Ready, null);
            Nudged("siteReady", "Your site is ready", $"{Request.ProductTitle} is live; your sign-in details are on your order page.");
            return;
        }
        if (Request.Kind == DeliveryKind.LicenseKey)
        {
            Email(DeliveryEmailKind.Ready, null);
            Nudged("licenseKeyReady", "Your licence key is ready", $"Your licence key for {Request.ProductTitle} is ready; it is on your order page and in your e-mail.");
            return;
        }
        Email(DeliveryEmailKind.Ready, IssueLink("made for the ready e-mail"));
        Nudged("downloadReady", "Your download is ready", $"{Request.ProductTitle} is ready to download from your order page.");
        ScheduleNudge((State.ReadyAt ?? grain.Now) + FirstNudgeAfter);
    }

    private void ReceiveNudgeReminder(string name)
    {
        var nudges = State.Nudges;
        switch (name)
        {
            case Nudge:
                nudges.NextNudgeAt = null;
                if (State.Status != DeliveryStatus.Ready || Request.Kind != DeliveryKind.Download || State.Downloads.Used > 0) return;
                nudges.NotDownloadedSent++;
                Email(DeliveryEmailKind.NotDownloadedYet, CurrentLink(LinkMarginForNudge) ?? IssueLink("made for the reminder e-mail"));
                Nudged("notDownloadedYet", "You haven't downloaded yet", $"{Request.ProductTitle} is waiting for you: download it from your order page.");
                if (nudges.NotDownloadedSent == 1) ScheduleNudge((State.ReadyAt ?? grain.Now) + SecondNudgeAfter);
                Changed();
                break;
            case Complete:
                nudges.CompleteAt = null;
                if (State.Status == DeliveryStatus.Downloaded)
                    MoveTo(DeliveryStatus.Completed, $"{CompleteAfterFirstDownload.TotalDays:0} days after the first download");
                break;
        }
    }

    private void ScheduleNudge(DateTimeOffset due)
    {
        State.Nudges.NextNudgeAt = due;
        grain.Remind(Nudge, due);
    }

    private void Email(DeliveryEmailKind kind, DownloadLinkGrant? link) =>
        grain.Send(new SendDeliveryEmail(grain.Key, Request.OrderId, Request.AccountId, Request.Email, kind, Request.Kind, Request.ProductTitle,
            link, Request.Kind == DeliveryKind.LicenseKey ? State.LicenseKey : null,
            Request.Kind == DeliveryKind.Download ? DownloadsLeft : null));

    private void Nudged(string nudge, string title, string message)
    {
        grain.Journal(new DeliveryNudged(nudge, grain.Now));
        grain.Publish(new CustomerNotification(Request.AccountId, Request.OrderId, grain.Key, nudge, title, message));
    }
}
