using Orleans.Concurrency;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Deliveries;

/// <summary>The delivery of one paid order line, keyed "{orderId}:{lineNumber}" (e.g. "ord_ab12:1").</summary>
public interface IDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Starts delivering once the order is paid. Idempotent: a second start changes nothing.</summary>
    Task StartAsync(DeliveryRequest request);

    [ReadOnly] Task<DeliveryView?> GetAsync();

    /// <summary>A new download link; the previous one stops working at once. Rate-limited per delivery.</summary>
    Task<SelfServiceResult> NewDownloadLinkAsync(SelfServiceRequest request);

    /// <summary>Sends the delivery e-mail again (a download's with a new link). Rate-limited per delivery.</summary>
    Task<SelfServiceResult> ResendDeliveryEmailAsync(SelfServiceRequest request);

    /// <summary>Decides whether a download through a (signature-checked) link may start, counts it and logs it.</summary>
    Task<DownloadDecision> StartDownloadAsync(DownloadAttempt attempt);

    /// <summary>An admin allows <paramref name="extra"/> more downloads; audited.</summary>
    Task<DeliveryView> GrantDownloadsAsync(int extra, string reason, string adminId);

    /// <summary>The provisioner finished attempt <paramref name="attempt"/>. A stale or repeated attempt is ignored.</summary>
    Task ProvisioningSucceededAsync(int attempt, DeliveryResult result);

    /// <summary>Attempt <paramref name="attempt"/> failed; the delivery retries or escalates. A stale or repeated attempt is ignored.</summary>
    Task ProvisioningFailedAsync(int attempt, string error);

    /// <summary>Withdraws the delivery (after a full refund): download links stop working, a licence key is disabled. A delivery not started yet never starts.</summary>
    Task RevokeAsync(string reason);

    /// <summary>The customer deleted their account: withdraws the delivery (as <see cref="RevokeAsync"/>) and forgets their address and account.</summary>
    Task EraseCustomerAsync(string reason);
}

/// <summary>The waits between provisioning attempts: one more attempt than there are delays.</summary>
public sealed record RetrySchedule(IReadOnlyList<TimeSpan> Delays)
{
    public static RetrySchedule Default { get; } = new([
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)]);

    public int MaxAttempts => Delays.Count + 1;
}

public sealed record DeliveryRequest(
    string OrderId,
    int Line,
    string ProductId,
    string ProductTitle,
    DeliveryKind Kind,
    string? AccountId,
    string Email,
    DateTimeOffset PaidAt,
    TimeSpan Sla,
    RetrySchedule? Retries = null,
    DownloadPolicy? Downloads = null);

/// <summary>What a successful provisioning produced (a licence key, or nothing for a download).</summary>
public sealed record DeliveryResult(string? LicenseKey = null);

public enum DeliveryHealth
{
    Healthy,
    Delayed,
    NeedsAttention,
}

public sealed record DeliveryView(
    string Id,
    string OrderId,
    int Line,
    string ProductId,
    string ProductTitle,
    DeliveryKind Kind,
    DeliveryStatus Status,
    int Attempt,
    string? LastError,
    DeliveryHealth Health,
    string HealthExplanation,
    string NextStep,
    DateTimeOffset? ReadyAt,
    string? LicenseKey,
    long Version,
    DeliveryDownloads? Downloads = null,
    DeliveryActions? Actions = null);

/// <summary>A step of the delivery's timeline (journaled).</summary>
[Orleans.Alias("DeliveryStepped")]
public sealed record DeliveryStepped(DeliveryStatus From, DeliveryStatus To, string Cause, int Attempt, DateTimeOffset At) : IJournalEntry;

/// <summary>The delivery missed its target time (journaled).</summary>
[Orleans.Alias("DeliveryDelayed")]
public sealed record DeliveryDelayed(string Reason, DateTimeOffset At) : IJournalEntry;

/// <summary>The delivery went to the technician queue (journaled).</summary>
[Orleans.Alias("DeliveryAssignedToTechnician")]
public sealed record DeliveryAssignedToTechnician(string Reason, DateTimeOffset At) : IJournalEntry;

public sealed record DeliveryChanged(string DeliveryId, string OrderId, string? AccountId, DeliveryStatus Status, DeliveryHealth Health) : LiveEvent
{
    public override string Kind => "deliveryChanged";
    public override IReadOnlyList<string> Topics =>
        AccountId is null ? [$"order:{OrderId}", "admin"] : [$"order:{OrderId}", $"customer:{AccountId}", "admin"];
}

public sealed record DeliverySlaBreached(string DeliveryId, string OrderId, string ProductId, TimeSpan Sla, string? LastError) : LiveEvent
{
    public override string Kind => "slaBreached";
    public override IReadOnlyList<string> Topics => ["admin"];
}

public sealed record DeliveryEscalated(string DeliveryId, string OrderId, string ProductId, int Attempts, string LastError) : LiveEvent
{
    public override string Kind => "deliveryEscalated";
    public override IReadOnlyList<string> Topics => ["admin"];
}
