using System.Diagnostics.Metrics;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Silo.Storage;

namespace Courier.Silo.Operations;

/// <summary>
/// Courier's own meter: what a seller's operator watches beside the runtime's and ASP.NET Core's
/// metrics. Every instrument is made here, so the names in docs/configuration.md are all in one place.
/// Nothing here is called from grain code: counts come from committed journal entries
/// (<see cref="CommittedWorkMetrics"/>), the webhook ingress and the outbox's backlog.
/// </summary>
internal sealed class CourierMetrics
{
    public const string MeterName = "Courier";

    /// <summary>From a few seconds (a download) to hours (a delivery finished by a technician).</summary>
    private static readonly double[] DeliveryTimeBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

    private readonly Counter<long> ordersPlaced;
    private readonly Counter<long> ordersPaid;
    private readonly Counter<long> deliveryTransitions;
    private readonly Histogram<double> deliveryTimeToReady;
    private readonly Counter<long> slaBreaches;
    private readonly Counter<long> webhooksRejected;

    public CourierMetrics(IMeterFactory meters, OutboxBacklog outbox)
    {
        var meter = meters.Create(MeterName);
        ordersPlaced = meter.CreateCounter<long>("courier.orders.placed", "{order}", "Orders placed at checkout (sold-out ones included).");
        ordersPaid = meter.CreateCounter<long>("courier.orders.paid", "{order}", "Orders whose payment was received and matched.");
        deliveryTransitions = meter.CreateCounter<long>("courier.deliveries.transitions", "{transition}",
            "Deliveries entering a status, tagged with the status entered and the delivery kind.");
        deliveryTimeToReady = meter.CreateHistogram<double>("courier.deliveries.time_to_ready", "s",
            "Time from an order's payment to its delivery becoming ready, tagged with the delivery kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryTimeBuckets });
        slaBreaches = meter.CreateCounter<long>("courier.deliveries.sla_breaches", "{delivery}",
            "Deliveries not ready within their product's SLA.");
        webhooksRejected = meter.CreateCounter<long>("courier.webhooks.rejected", "{webhook}",
            "Payment webhooks refused without effect, tagged with the reason.");
        meter.CreateObservableGauge("courier.outbox.pending", () => Backlog(outbox, c => c.Pending), "{message}",
            "Outbox messages waiting for dispatch or a retry, across the cluster (read at most every few seconds).");
        meter.CreateObservableGauge("courier.outbox.dead", () => Backlog(outbox, c => c.Dead), "{message}",
            "Dead-lettered outbox messages, across the cluster: each needs an admin's look.");
    }

    public void OrderPlaced() => ordersPlaced.Add(1);

    public void OrderPaid() => ordersPaid.Add(1);

    public void DeliveryEntered(DeliveryStatus status, DeliveryKind? kind) =>
        deliveryTransitions.Add(1, new KeyValuePair<string, object?>("status", status.ToString()), KindTag(kind));

    public void DeliveryReady(TimeSpan sincePayment, DeliveryKind? kind) =>
        deliveryTimeToReady.Record(Math.Max(0, sincePayment.TotalSeconds), KindTag(kind));

    public void SlaBreached() => slaBreaches.Add(1);

    /// <param name="reason">One of <see cref="WebhookRejectionReasons"/>: a tag, so never free text.</param>
    public void WebhookRejected(string reason) => webhooksRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static KeyValuePair<string, object?> KindTag(DeliveryKind? kind) => new("kind", kind?.ToString() ?? "Unknown");

    private static IEnumerable<Measurement<long>> Backlog(OutboxBacklog outbox, Func<OutboxCounts, long> pick) =>
        outbox.Read() is { } counts ? [new Measurement<long>(pick(counts))] : [];
}

/// <summary>Why a payment webhook was refused: the <c>reason</c> tag of <c>courier.webhooks.rejected</c>.</summary>
internal static class WebhookRejectionReasons
{
    public const string NotConfigured = "not-configured";
    public const string MissingSignature = "missing-signature";
    public const string BadSignature = "bad-signature";
    public const string NotAnEvent = "not-an-event";
    public const string UnreadableObject = "unreadable-object";
    public const string TooLarge = "too-large";
    public const string Other = "other";
}
