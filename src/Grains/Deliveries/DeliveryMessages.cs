using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;

namespace Courier.Grains.Deliveries;

/// <summary>Asks the provisioner of <paramref name="Kind"/> for attempt <paramref name="Attempt"/> of a delivery.</summary>
public sealed record ProvisionDelivery(string DeliveryId, int Attempt, DeliveryKind Kind, string ProductId, string OrderId);

/// <summary>A paid order line to deliver; the handler adds the product's SLA and starts its delivery grain.</summary>
public sealed record StartDelivery(
    string OrderId, int Line, string ProductId, string ProductTitle, DeliveryKind Kind, string? AccountId, string Email, DateTimeOffset PaidAt)
{
    public string DeliveryId => DeliveryIds.Of(OrderId, Line);

    public DeliveryRequest ToRequest(TimeSpan sla) => new(OrderId, Line, ProductId, ProductTitle, Kind, AccountId, Email, PaidAt, sla);
}

/// <summary>Tells a licence key pool that a revoked delivery's key is no longer valid.</summary>
public sealed record DisableLicenseKey(string ProductId, string DeliveryId);

public static class DeliveryIds
{
    public static string Of(string orderId, int line) => $"{orderId}:{line}";
}

/// <summary>The delivery read model: one row per delivery for admin queues and search.</summary>
public sealed record DeliveryRow(
    string Id, string OrderId, DeliveryStatus Status, DeliveryKind Kind, string ProductId, DeliveryHealth Health, DateTimeOffset UpdatedAt) : Courier.Abstractions.Runtime.ReadModelRow
{
    public override string RowKey => Id;
}

/// <summary>A delivery handed to the technician queue.</summary>
public sealed record TechnicianAssignment(string DeliveryId, string OrderId, string Reason, DateTimeOffset AssignedAt) : Courier.Abstractions.Runtime.ReadModelRow
{
    public override string RowKey => DeliveryId;
}
