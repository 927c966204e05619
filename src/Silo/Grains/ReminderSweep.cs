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
    /// <summary>The name of a grain's one Orleans reminder, set to its earliest reminder row.</summary>
    public const string OrleansReminder = "courier.due";

    private const int Batch = 10_000;
    private const int InFlight = 32;

    /// <summary>Wakes every grain with a due row (and every grain whose rows have no Orleans reminder); returns how many grains it woke.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = pipeline.Time.GetUtcNow();
        var due = (await pipeline.Store.ListDueRemindersAsync(now, Batch, cancellationToken).ConfigureAwait(false))
            .Concat(await pipeline.Store.ListUnscheduledRemindersAsync(Batch, cancellationToken).ConfigureAwait(false))
            .GroupBy(r => r.Grain)
            .Select(g => (Grain: g.Key, FirstDue: g.Min(r => r.DueAt)))
            .ToList();
        if (due.Count == 0) return 0;

        var woken = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (grain, _) =>
        {
            try
            {
                var tick = new TickStatus(grain.FirstDue.UtcDateTime, pipeline.Options.ReminderRetry, now.UtcDateTime);
                await grains.GetGrain<IRemindable>(grain.Grain.ToGrainId()).ReceiveReminder(OrleansReminder, tick).ConfigureAwait(false);
                Interlocked.Increment(ref woken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Orleans' own reminder brings the tick back; the sweep only makes it earlier.
                LogTickFailed(ex, grain.Grain.ToString());
            }
        }).ConfigureAwait(false);
        if (woken > 0) LogSwept(woken);
        return woken;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} grains whose reminders came due while no node ran")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A due reminder of {Grain} failed; Orleans brings it back")]
    private partial void LogTickFailed(Exception ex, string grain);
}
