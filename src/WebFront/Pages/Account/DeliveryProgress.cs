using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Silo.Commerce;

namespace Courier.WebFront.Pages.Account;

/// <summary>One step of a delivery's stepper.</summary>
/// <param name="State">done, current (the latest step reached), active (under way), retrying, problem, upcoming or revoked — the CSS modifier and data-state.</param>
/// <param name="At">When the delivery reached the step, from its timeline.</param>
public sealed record TrackerStep(string Key, string Label, string? Detail, string State, DateTimeOffset? At);

/// <summary>
/// The delivery tracker's stepper: Pending → Processing → Ready → Downloaded (downloads only) →
/// Completed, with Retrying, Failed and Escalated shown on the Processing step and Revoked as a
/// final step of its own. Client/src/pages/order.ts draws the same steps from the same data.
/// </summary>
internal static class DeliveryProgress
{
    public static IReadOnlyList<DeliveryStatus> Path(DeliveryKind kind) => kind == DeliveryKind.Download
        ? [DeliveryStatus.Pending, DeliveryStatus.Processing, DeliveryStatus.Ready, DeliveryStatus.Downloaded, DeliveryStatus.Completed]
        : [DeliveryStatus.Pending, DeliveryStatus.Processing, DeliveryStatus.Ready, DeliveryStatus.Completed];

    public static IReadOnlyList<TrackerStep> Steps(DeliveryKind kind, DeliveryView? delivery, IEnumerable<TimelineEntry> timeline)
    {
        var path = Path(kind);
        var status = delivery?.Status ?? DeliveryStatus.None;
        var reachedAt = new Dictionary<DeliveryStatus, DateTimeOffset>();
        var beforeRevoked = DeliveryStatus.None;
        foreach (var entry in timeline)
        {
            if (entry.Kind != nameof(DeliveryStepped) || delivery is null || entry.DeliveryId != delivery.Id) continue;
            if (!Enum.TryParse<DeliveryStatus>(Text(entry.Data, "to"), out var to)) continue;
            reachedAt[to] = entry.At;
            if (to == DeliveryStatus.Revoked && Enum.TryParse<DeliveryStatus>(Text(entry.Data, "from"), out var from)) beforeRevoked = from;
        }

        var reached = IndexOn(path, status == DeliveryStatus.Revoked ? beforeRevoked : status);
        var steps = new List<TrackerStep>(path.Count + 1);
        for (var i = 0; i < path.Count; i++)
        {
            var step = path[i];
            reachedAt.TryGetValue(step, out var at);
            DateTimeOffset? when = reachedAt.ContainsKey(step) ? at : null;
            if (status == DeliveryStatus.Revoked)
                steps.Add(new TrackerStep(Key(step), Label(step), null, i <= reached ? "revoked" : "upcoming", i <= reached ? when : null));
            else if (i < reached)
                steps.Add(new TrackerStep(Key(step), Label(step), null, "done", when));
            else if (i == reached)
                steps.Add(Reached(step, status, delivery!, when, reachedAt));
            else
                steps.Add(new TrackerStep(Key(step), Label(step), null, "upcoming", null));
        }
        if (status == DeliveryStatus.Revoked)
            steps.Add(new TrackerStep("revoked", "Revoked", "Withdrawn after a refund", "problem", reachedAt.TryGetValue(DeliveryStatus.Revoked, out var revokedAt) ? revokedAt : null));
        return steps;
    }

    /// <summary>The step the delivery is on now: its own status may be a detour of that step.</summary>
    private static TrackerStep Reached(DeliveryStatus step, DeliveryStatus status, DeliveryView delivery, DateTimeOffset? when, Dictionary<DeliveryStatus, DateTimeOffset> reachedAt) => status switch
    {
        DeliveryStatus.Pending => new(Key(step), Label(step), "Queued", "active", when),
        DeliveryStatus.Processing => new(Key(step), Label(step), delivery.Attempt > 1 ? $"Attempt {delivery.Attempt}" : "Preparing", "active", when),
        DeliveryStatus.Retrying => new(Key(step), "Retrying", $"Attempt {delivery.Attempt} did not work; retrying automatically", "retrying", At(reachedAt, DeliveryStatus.Retrying) ?? when),
        DeliveryStatus.Failed => new(Key(step), "Failed", "Every automatic attempt failed", "problem", At(reachedAt, DeliveryStatus.Failed) ?? when),
        DeliveryStatus.Escalated => new(Key(step), "Escalated", "A technician is finishing it by hand", "problem", At(reachedAt, DeliveryStatus.Escalated) ?? when),
        _ => new(Key(step), Label(step), null, "current", when),
    };

    private static int IndexOn(IReadOnlyList<DeliveryStatus> path, DeliveryStatus status) => status switch
    {
        DeliveryStatus.None => -1,
        DeliveryStatus.Retrying or DeliveryStatus.Failed or DeliveryStatus.Escalated => 1,
        DeliveryStatus.Downloaded when !path.Contains(DeliveryStatus.Downloaded) => 2,
        _ => path.ToList().IndexOf(status),
    };

    private static DateTimeOffset? At(Dictionary<DeliveryStatus, DateTimeOffset> reachedAt, DeliveryStatus status) =>
        reachedAt.TryGetValue(status, out var at) ? at : null;

    public static string Key(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    public static string Label(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "Pending",
        DeliveryStatus.Processing => "Processing",
        DeliveryStatus.Retrying => "Retrying",
        DeliveryStatus.Ready => "Ready",
        DeliveryStatus.Downloaded => "Downloaded",
        DeliveryStatus.Completed => "Completed",
        DeliveryStatus.Failed => "Failed",
        DeliveryStatus.Escalated => "Escalated",
        DeliveryStatus.Revoked => "Revoked",
        _ => "Not started",
    };

    /// <summary>The delivery has reached the customer (they can use it now).</summary>
    public static bool IsDelivered(DeliveryStatus status) => status is DeliveryStatus.Ready or DeliveryStatus.Downloaded or DeliveryStatus.Completed;

    internal static string? Text(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
