using System.Text.Json.Serialization;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Deliveries;

/// <summary>How a download delivery hands out its file: downloads allowed, and how long a link lives.</summary>
public sealed record DownloadPolicy(int Limit, TimeSpan LinkValidity)
{
    public static DownloadPolicy Default { get; } = new(10, TimeSpan.FromHours(24));
}

/// <summary>
/// The delivery's current download link as the grain knows it: a number (a newer link replaces
/// every older one) and an expiry. The signed token is made outside the grain, from these.
/// </summary>
public sealed record DownloadLinkGrant(int LinkId, DateTimeOffset ExpiresAt);

/// <summary>A download through <paramref name="LinkId"/> is about to start.</summary>
/// <param name="RangeStart">The first byte asked for: above 0 for a resumed (range) request.</param>
public sealed record DownloadAttempt(int LinkId, string ClientAddress, string? UserAgent, long RangeStart);

public enum DownloadOutcome
{
    /// <summary>Allowed, and it used one of the delivery's downloads.</summary>
    Counted,

    /// <summary>Allowed for free: it continues a download already counted (same link, same address).</summary>
    Resumed,
    LinkExpired,
    LinkReplaced,
    LimitReached,
    Revoked,
    NotReady,
}

public sealed record DownloadDecision(DownloadOutcome Outcome, int Used, int Limit)
{
    public bool Allowed => Outcome is DownloadOutcome.Counted or DownloadOutcome.Resumed;
}

/// <summary>Who asks for a self-service action: an account id (or "guest") and their address, for the audit log.</summary>
public sealed record SelfServiceRequest(string ActorId, string? ClientAddress);

public enum SelfServiceOutcome
{
    Done,
    RateLimited,
    NotAvailable,
}

/// <param name="Message">What happened, or why not, in words for the customer.</param>
/// <param name="Link">The new download link, when one was made.</param>
/// <param name="RetryAt">When a rate-limited action is allowed again.</param>
public sealed record SelfServiceResult(SelfServiceOutcome Outcome, string Message, DownloadLinkGrant? Link = null, DateTimeOffset? RetryAt = null);

/// <summary>What the customer's page shows about downloads: how many are used and the current link.</summary>
public sealed record DeliveryDownloads(int Used, int Limit, int Remaining, DownloadLinkView? Link);

/// <param name="Url">The signed link ("/d/…"), filled in by the web front; null while the link has expired.</param>
public sealed record DownloadLinkView([property: ServerOnly] int LinkId, DateTimeOffset ExpiresAt, bool Expired, string? Url = null);

/// <summary>The self-service actions of a delivery (null: the kind has no such action).</summary>
/// <param name="NewLink">POST /api/deliveries/{id}/links.</param>
/// <param name="Resend">POST /api/deliveries/{id}/resend.</param>
public sealed record DeliveryActions(DeliveryAction? NewLink = null, DeliveryAction? Resend = null);

/// <summary>Whether the customer can take a self-service action now.</summary>
/// <param name="Unavailable">Why not, in words for the customer; null when available.</param>
/// <param name="AvailableAgainAt">When a rate-limited action can be used again.</param>
public sealed record DeliveryAction(bool Available, int RemainingThisHour, string? Unavailable = null, DateTimeOffset? AvailableAgainAt = null);

/// <summary>The names the self-service actions are rate-limited and audited under.</summary>
public static class SelfServiceActions
{
    public const string NewLink = "newLink";
    public const string Resend = "resend";
}

/// <summary>A counted download (journaled; the order timeline shows it).</summary>
[Orleans.Alias("DeliveryDownloaded")]
public sealed record DeliveryDownloaded(int Used, int Limit, DateTimeOffset At) : IJournalEntry;

/// <summary>A new download link replaced the previous one (journaled).</summary>
[Orleans.Alias("DownloadLinkRenewed")]
public sealed record DownloadLinkRenewed(int LinkId, DateTimeOffset ExpiresAt, string Cause, DateTimeOffset At) : IJournalEntry;

/// <summary>The delivery e-mail went out again at the customer's request (journaled).</summary>
[Orleans.Alias("DeliveryEmailResent")]
public sealed record DeliveryEmailResent(DateTimeOffset At) : IJournalEntry;

/// <summary>An admin allowed more downloads (journaled).</summary>
[Orleans.Alias("DownloadsGranted")]
public sealed record DownloadsGranted(int Extra, int Limit, string Reason, DateTimeOffset At) : IJournalEntry;

/// <summary>A nudge went out: "your download is ready", "you haven't downloaded yet" (journaled).</summary>
[Orleans.Alias("DeliveryNudged")]
public sealed record DeliveryNudged(string Nudge, DateTimeOffset At) : IJournalEntry;

/// <summary>An in-app notification for the customer (the live event "notification").</summary>
/// <param name="Nudge">What it is about: "downloadReady", "licenseKeyReady", "siteReady", "notDownloadedYet".</param>
public sealed record CustomerNotification(string? AccountId, string OrderId, string DeliveryId, string Nudge, string Title, string Message) : LiveEvent
{
    public override string Kind => "notification";
    public override IReadOnlyList<string> Topics =>
        AccountId is null ? [$"order:{OrderId}"] : [$"customer:{AccountId}", $"order:{OrderId}"];
}
