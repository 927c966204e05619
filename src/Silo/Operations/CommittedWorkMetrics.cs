using System.Text.Json;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Grains.Deliveries;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Operations;

/// <summary>
/// Counts orders and deliveries from the journal entries of each commit this node makes. Here,
/// not in the grains: grain code stays deterministic (a call replayed after losing a version race
/// counts nothing, only what was committed does), and across a cluster each event is counted once,
/// by the node that committed it. The handler runs inside the committing call, so it only reads
/// what the commit already holds, and never throws into it.
/// </summary>
internal sealed partial class CommittedWorkMetrics(CommitPipeline runtime, CourierMetrics metrics, ILogger<CommittedWorkMetrics> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Committed += Observe;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        runtime.Committed -= Observe;
        return Task.CompletedTask;
    }

    internal void Observe(GrainCommit commit)
    {
        try
        {
            foreach (var record in commit.Journal)
            {
                switch (record.Entry)
                {
                    case OrderStepped step: CountOrderStep(step); break;
                    case DeliveryStepped step: CountDeliveryStep(step, commit); break;
                    case DeliveryDelayed: metrics.SlaBreached(); break;
                }
            }
        }
        catch (Exception ex)
        {
            LogCountFailed(ex, commit.Grain.ToString());
        }
    }

    private void CountOrderStep(OrderStepped step)
    {
        if (step.From == OrderStatus.None) metrics.OrderPlaced();
        if (step.To == OrderStatus.Paid) metrics.OrderPaid();
    }

    private void CountDeliveryStep(DeliveryStepped step, GrainCommit commit)
    {
        // The delivery grain projects its row with every step, so the kind costs no extra read.
        var kind = commit.Projections.OfType<DeliveryRow>().LastOrDefault()?.Kind;
        metrics.DeliveryEntered(step.To, kind);
        if (step.To != DeliveryStatus.Ready) return;
        // Only the grain's state knows when the order was paid; reading it once per ready delivery is cheap.
        var paidAt = JsonSerializer.Deserialize<DeliveryState>(commit.StateJson, GrainJson.Options)?.Request?.PaidAt;
        if (paidAt is { } paid) metrics.DeliveryReady(step.At - paid, kind);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the commit of {Grain} in Courier's metrics")]
    private partial void LogCountFailed(Exception ex, string grain);
}
