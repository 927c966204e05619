using Courier.Abstractions.Audit;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;

namespace Courier.Grains.Deliveries;

/// <summary>What a download delivery remembers about its links and downloads.</summary>
public sealed class DownloadState
{
    /// <summary>The current link's number; a link with any other number is dead. 0: no link yet.</summary>
    public int LinkId { get; set; }
    public DateTimeOffset? LinkExpiresAt { get; set; }
    public int Used { get; set; }

    /// <summary>Downloads an admin added to the product's limit.</summary>
    public int Granted { get; set; }

    /// <summary>Client addresses with a counted download through the current link: their range requests resume for free.</summary>
    public HashSet<string> CountedFrom { get; set; } = [];
}

/// <summary>Download links, counted downloads and the customer's self-service actions.</summary>
internal sealed partial class DeliveryGrain
{
    private DownloadPolicy DownloadPolicy => Request.Downloads ?? DownloadPolicy.Default;
    private int DownloadLimit => DownloadPolicy.Limit + State.Downloads.Granted;
    private int DownloadsLeft => Math.Max(0, DownloadLimit - State.Downloads.Used);

    public Task<SelfServiceResult> NewDownloadLinkAsync(SelfServiceRequest request)
    {
        if (WhyUnavailable(SelfServiceActions.NewLink) is { } reason) return Refused(reason);
        if (RateLimited(SelfServiceActions.NewLink) is { } limited) return limited;
        var link = IssueLink("requested by the customer");
        UseSelfService(SelfServiceActions.NewLink, request, AuditActions.DownloadLinkRenewed,
            new Dictionary<string, string> { ["linkId"] = $"{link.LinkId}", ["expiresAt"] = Format(link.ExpiresAt) });
        Changed();
        return Done($"Here is your new download link. It works until {Format(link.ExpiresAt)}; older links no longer work.", link);
    }

    public Task<SelfServiceResult> ResendDeliveryEmailAsync(SelfServiceRequest request)
    {
        if (WhyUnavailable(SelfServiceActions.Resend) is { } reason) return Refused(reason);
        if (RateLimited(SelfServiceActions.Resend) is { } limited) return limited;
        var link = Request.Kind == DeliveryKind.Download ? IssueLink("made for the e-mail sent again") : null;
        Email(DeliveryEmailKind.Resent, link);
        grain.Journal(new DeliveryEmailResent(grain.Now));
        UseSelfService(SelfServiceActions.Resend, request, AuditActions.DeliveryEmailResent,
            new Dictionary<string, string> { ["to"] = Request.Email });
        Changed();
        return Done(link is null
            ? $"We sent your delivery e-mail to {Request.Email} again."
            : $"We sent your delivery e-mail to {Request.Email} again, with a new download link; older links no longer work.", link);
    }

    public Task<DownloadDecision> StartDownloadAsync(DownloadAttempt attempt)
    {
        if (State.Status == DeliveryStatus.None || Request.Kind != DeliveryKind.Download)
            return Task.FromResult(new DownloadDecision(DownloadOutcome.NotReady, 0, 0));
        var downloads = State.Downloads;
        var outcome = State.Status == DeliveryStatus.Revoked ? DownloadOutcome.Revoked
            : attempt.LinkId != downloads.LinkId ? DownloadOutcome.LinkReplaced
            : grain.Now >= downloads.LinkExpiresAt ? DownloadOutcome.LinkExpired
            : !IsDelivered() ? DownloadOutcome.NotReady
            : attempt.RangeStart > 0 && downloads.CountedFrom.Contains(attempt.ClientAddress) ? DownloadOutcome.Resumed
            : downloads.Used >= DownloadLimit ? DownloadOutcome.LimitReached
            : DownloadOutcome.Counted;
        if (outcome == DownloadOutcome.Counted) CountDownload(attempt.ClientAddress);
        grain.Project(new DownloadLogged(grain.Key, attempt.LinkId, grain.Now, attempt.ClientAddress, attempt.UserAgent, attempt.RangeStart, outcome, grain.Version));
        return Task.FromResult(new DownloadDecision(outcome, downloads.Used, DownloadLimit));
    }

    public Task<DeliveryView> GrantDownloadsAsync(int extra, string reason, string adminId)
    {
        if (State.Status == DeliveryStatus.None)
            throw new RuleViolationException("delivery-not-found", $"There is no delivery {grain.Key}.", 404);
        if (Request.Kind != DeliveryKind.Download)
            throw new RuleViolationException("not-a-download", $"Delivery {grain.Key} is a {Request.Kind} delivery; only downloads have a download limit.", 409);
        if (State.Status == DeliveryStatus.Revoked)
            throw new RuleViolationException("delivery-revoked", $"Delivery {grain.Key} was withdrawn ({State.RevokedReason}); it cannot get more downloads.", 409);
        var errors = new Dictionary<string, object?>();
        if (extra is < 1 or > 100) errors["extra"] = "Grant between 1 and 100 extra downloads at a time.";
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 300) errors["reason"] = "Say why in 1–300 characters; the customer sees it on their timeline.";
        if (errors.Count > 0) throw new RuleViolationException("invalid-grant", "The grant has invalid fields.", 400, errors);

        State.Downloads.Granted += extra;
        grain.Journal(new DownloadsGranted(extra, DownloadLimit, reason.Trim(), grain.Now));
        grain.Project(new AuditEntry(grain.Now, adminId, AuditActions.DownloadsGranted, $"delivery:{grain.Key}", new Dictionary<string, string>
        {
            ["extra"] = $"{extra}", ["limit"] = $"{DownloadLimit}", ["reason"] = reason.Trim(),
        }));
        Changed();
        return Task.FromResult(View());
    }

    /// <summary>Makes a new current link; every older one dies with it.</summary>
    private DownloadLinkGrant IssueLink(string cause)
    {
        var downloads = State.Downloads;
        downloads.LinkId++;
        downloads.LinkExpiresAt = grain.Now + DownloadPolicy.LinkValidity;
        downloads.CountedFrom.Clear();
        grain.Journal(new DownloadLinkRenewed(downloads.LinkId, downloads.LinkExpiresAt.Value, cause, grain.Now));
        return new DownloadLinkGrant(downloads.LinkId, downloads.LinkExpiresAt.Value);
    }

    /// <summary>The current link when it still works for at least <paramref name="margin"/>.</summary>
    private DownloadLinkGrant? CurrentLink(TimeSpan margin) =>
        State.Downloads is { LinkId: > 0, LinkExpiresAt: { } expires } downloads && expires - grain.Now >= margin
            ? new DownloadLinkGrant(downloads.LinkId, expires)
            : null;

    private void CountDownload(string clientAddress)
    {
        var downloads = State.Downloads;
        downloads.Used++;
        downloads.CountedFrom.Add(clientAddress);
        grain.Journal(new DeliveryDownloaded(downloads.Used, DownloadLimit, grain.Now));
        if (State.Status == DeliveryStatus.Ready) MoveTo(DeliveryStatus.Downloaded, "downloaded for the first time");
        else Changed();
    }

    private bool IsDelivered() => State.Status is DeliveryStatus.Ready or DeliveryStatus.Downloaded or DeliveryStatus.Completed;

    /// <summary>Why the customer cannot use <paramref name="action"/> now (rate limits aside); null when they can.</summary>
    private string? WhyUnavailable(string action)
    {
        if (State.Status == DeliveryStatus.None) return "This delivery has not started yet.";
        if (State.Status == DeliveryStatus.Revoked) return $"This delivery was withdrawn: {State.RevokedReason}.";
        if (action == SelfServiceActions.NewLink && Request.Kind != DeliveryKind.Download) return "Only downloads have download links.";
        if (action == SelfServiceActions.Resend && Request.Kind == DeliveryKind.SiteAccess)
            return "Your login details are shown on your order page; they are never sent by e-mail.";
        if (!IsDelivered()) return "Your delivery is not ready yet; we e-mail you the moment it is.";
        if (Request.Kind == DeliveryKind.Download && DownloadsLeft == 0)
            return $"You have used all {DownloadLimit} downloads of this purchase.";
        return null;
    }

    private Task<SelfServiceResult>? RateLimited(string action)
    {
        if (State.SelfService.BlockedUntil(action, grain.Now) is not { } until) return null;
        var what = action == SelfServiceActions.NewLink ? "new download links" : "delivery e-mails";
        return Task.FromResult(new SelfServiceResult(SelfServiceOutcome.RateLimited,
            $"You asked for {SelfServiceAllowance.PerHour} {what} within the last hour. You can ask again at {Format(until)}." +
            (CurrentLink(TimeSpan.Zero) is { } current ? $" Your current link works until {Format(current.ExpiresAt)}." : ""),
            RetryAt: until));
    }

    private void UseSelfService(string action, SelfServiceRequest request, string auditAction, Dictionary<string, string> details)
    {
        State.SelfService.Use(action, grain.Now);
        if (request.ClientAddress is { } address) details["clientAddress"] = address;
        grain.Project(new AuditEntry(grain.Now, request.ActorId, auditAction, $"delivery:{grain.Key}", details));
    }

    private DeliveryActions Actions() => Request.Kind switch
    {
        DeliveryKind.Download => new(Action(SelfServiceActions.NewLink), Action(SelfServiceActions.Resend)),
        DeliveryKind.LicenseKey => new(Resend: Action(SelfServiceActions.Resend)),
        _ => new(),
    };

    private DeliveryAction Action(string action)
    {
        var remaining = State.SelfService.Remaining(action, grain.Now);
        if (WhyUnavailable(action) is { } reason) return new DeliveryAction(false, remaining, reason);
        return State.SelfService.BlockedUntil(action, grain.Now) is { } until
            ? new DeliveryAction(false, 0, $"Used {SelfServiceAllowance.PerHour} times within the last hour; available again at {Format(until)}.", until)
            : new DeliveryAction(true, remaining);
    }

    private DeliveryDownloads? Downloads()
    {
        if (Request.Kind != DeliveryKind.Download) return null;
        var downloads = State.Downloads;
        var link = downloads is { LinkId: > 0, LinkExpiresAt: { } expires } && State.Status != DeliveryStatus.Revoked
            ? new DownloadLinkView(downloads.LinkId, expires, grain.Now >= expires)
            : null;
        return new DeliveryDownloads(downloads.Used, DownloadLimit, DownloadsLeft, link);
    }

    private static Task<SelfServiceResult> Refused(string reason) =>
        Task.FromResult(new SelfServiceResult(SelfServiceOutcome.NotAvailable, reason));

    private static Task<SelfServiceResult> Done(string message, DownloadLinkGrant? link) =>
        Task.FromResult(new SelfServiceResult(SelfServiceOutcome.Done, message, link));
}
