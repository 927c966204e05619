using Microsoft.Extensions.Logging;

namespace Courier.Silo.Grains;

/// <summary>
/// Delivers the reminder ticks Courier's rows say are due, through Orleans (<see cref="IRemindable"/>),
/// so the grain's context decides as for any tick. A node runs it once when its silo becomes active:
/// Orleans brings a reminder that came due while every node was down only at its next period, and
/// reminder rows written before Courier ran on Orleans have no Orleans reminder at all (the sweep
/// schedules them). Tests whose clock is fake run it after moving the clock.
/// </summary>
internal sealed partial class ReminderSweep(CommitPipeline pipeline, IGrainFactory grains, ILogger<ReminderSweep> log)
{
    private const int Batch = 10_000;
    private const int Parallel = 32;

    /// <summary>Delivers every due tick (and schedules unscheduled rows); returns how many ticks were delivered.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = pipeline.Time.GetUtcNow();
        var rows = (await pipeline.Store.ListDueRemindersAsync(now, Batch, cancellationToken).ConfigureAwait(false))
            .Concat(await pipeline.Store.ListUnscheduledRemindersAsync(Batch, cancellationToken).ConfigureAwait(false))
            .DistinctBy(r => (r.Grain, r.Name))
            .ToList();
        if (rows.Count == 0) return 0;

        var delivered = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (row, _) =>
        {
            try
            {
                var tick = new TickStatus(row.DueAt.UtcDateTime, pipeline.Options.ReminderRetry, now.UtcDateTime);
                await grains.GetGrain<IRemindable>(row.Grain.ToGrainId()).ReceiveReminder(row.Name, tick).ConfigureAwait(false);
                Interlocked.Increment(ref delivered);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Orleans' own reminder brings the tick back; the sweep only makes it earlier.
                LogTickFailed(ex, row.Name, row.Grain.ToString());
            }
        }).ConfigureAwait(false);
        if (delivered > 0) LogSwept(delivered);
        return delivered;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Count} reminder ticks that came due while no node ran")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Overdue reminder {Reminder} of {Grain} failed; Orleans brings it back")]
    private partial void LogTickFailed(Exception ex, string reminder, string grain);
}
