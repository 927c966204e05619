using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Deliveries;

/// <summary>Asks the provisioner of <paramref name="Kind"/> for attempt <paramref name="Attempt"/> of a delivery.</summary>
[Orleans.Alias("Courier.Grains.Deliveries.ProvisionDelivery")]
public sealed record ProvisionDelivery(string DeliveryId, int Attempt, DeliveryKind Kind, string ProductId, string OrderId) : IOutboxMessage;

/// <summary>A paid order line to deliver; the handler adds the product's SLA and starts its delivery grain.</summary>
[Orleans.Alias("Courier.Grains.Deliveries.StartDelivery")]
public sealed record StartDelivery(
    string OrderId, int Line, string ProductId, string ProductTitle, DeliveryKind Kind, string? AccountId, string Email, DateTimeOffset PaidAt) : IOutboxMessage
{
    public string DeliveryId => new DeliveryId(OrderId, Line).ToString();

    public DeliveryRequest ToRequest(TimeSpan sla, DownloadPolicy? downloads = null) =>
        new(OrderId, Line, ProductId, ProductTitle, Kind, AccountId, Email, PaidAt, sla, Downloads: downloads);
}

/// <summary>Tells the order how far one of its lines' delivery got, so the order can become Fulfilled and Completed.</summary>
[Orleans.Alias("Courier.Grains.Deliveries.ReportDeliveryProgress")]
public sealed record ReportDeliveryProgress(string OrderId, int Line, DeliveryStatus Status) : IOutboxMessage;

/// <summary>Tells a licence key pool that a revoked delivery's key is no longer valid.</summary>
[Orleans.Alias("Courier.Grains.Deliveries.DisableLicenseKey")]
public sealed record DisableLicenseKey(string ProductId, string DeliveryId) : IOutboxMessage;

/// <summary>The customer deleted their account: the delivery is withdrawn and forgets their address.</summary>
[Orleans.Alias("Courier.Grains.Deliveries.EraseDeliveryCustomer")]
public sealed record EraseDeliveryCustomer(string DeliveryId, string Reason) : IOutboxMessage;

/// <summary>The order was refunded in full: its line's delivery is withdrawn.</summary>
[Orleans.Alias("Courier.Grains.Deliveries.RevokeDelivery")]
public sealed record RevokeDelivery(string DeliveryId, string Reason) : IOutboxMessage;

public enum DeliveryEmailKind
{
    /// <summary>"Your download / licence key is ready" — once, when the delivery becomes ready.</summary>
    Ready,

    /// <summary>The same e-mail again, at the customer's request (sent whatever their preferences say).</summary>
    Resent,

    /// <summary>"You haven't downloaded yet", 24 h and 72 h after ready.</summary>
    NotDownloadedYet,
}

/// <summary>
/// A delivery e-mail. The handler signs <paramref name="Link"/> into a /d/ address and, unless the
/// customer asked for it (<see cref="DeliveryEmailKind.Resent"/>), skips it when the account turned
/// delivery e-mails off. Guests (no account) always get it.
/// </summary>
[Orleans.Alias("Courier.Grains.Deliveries.SendDeliveryEmail")]
public sealed record SendDeliveryEmail(
    string DeliveryId,
    string OrderId,
    string? AccountId,
    string To,
    DeliveryEmailKind Kind,
    DeliveryKind DeliveryKind,
    string ProductTitle,
    DownloadLinkGrant? Link = null,
    string? LicenseKey = null,
    int? DownloadsLeft = null) : IOutboxMessage;



/// <summary>The delivery read model: one row per delivery for admin queues and search.</summary>
public sealed record DeliveryRow(
    string Id, string OrderId, DeliveryStatus Status, DeliveryKind Kind, string ProductId, DeliveryHealth Health, DateTimeOffset UpdatedAt) : Courier.Abstractions.Runtime.ReadModelRow
{
    public override string RowKey => Id;
}

/// <summary>One request of <c>GET /d/{token}</c> that reached its delivery (the <c>download_log</c> table).</summary>
public sealed record DownloadLogged(
    string DeliveryId, int LinkId, DateTimeOffset At, string ClientAddress, string? UserAgent, long RangeStart, DownloadOutcome Outcome, long Sequence)
    : Courier.Abstractions.Runtime.ReadModelRow
{
    public override string RowKey => $"{DeliveryId}#{Sequence}";
}

/// <summary>A delivery handed to the technician queue.</summary>
public sealed record TechnicianAssignment(string DeliveryId, string OrderId, string Reason, DateTimeOffset AssignedAt) : Courier.Abstractions.Runtime.ReadModelRow
{
    public override string RowKey => DeliveryId;
}
