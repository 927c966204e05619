using Courier.Silo.Hosting;
using Courier.Silo.Runtime;
using Courier.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Reminders;

/// <summary>
/// Fires durable reminders on this node. Due reminders are leased in batches (FOR UPDATE SKIP
/// LOCKED in PostgreSQL), so however many nodes poll, one runs a given tick at a time; the tick's
/// completion commits with the grain's own changes, so a committed tick never runs again; a tick
/// that throws is retried with exponential backoff; ticks that came due while every node was down
/// fire once when a node starts.
/// </summary>
internal sealed partial class ReminderService(GrainRuntime runtime, ILogger<ReminderService> log)
{
    private readonly WakeSignal wake = new();

    public void Wake() => wake.Wake();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        using var work = new BoundedWork(options.ReminderConcurrency);
        while (!cancellationToken.IsCancellationRequested)
        {
            var leased = 0;
            try
            {
                var now = runtime.Time.GetUtcNow();
                var due = await runtime.Store.LeaseDueRemindersAsync(
                    runtime.NodeName, Guid.NewGuid(), now, options.ReminderLease, options.ReminderBatchSize, cancellationToken).ConfigureAwait(false);
                leased = due.Count;
                foreach (var reminder in due)
                    await work.StartAsync(() => FireAsync(reminder, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPollFailed(ex);
                await Delay(options.ReminderPollInterval * 5, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (leased < options.ReminderBatchSize)
                await wake.WaitAsync(options.ReminderPollInterval, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        await work.DrainAsync().ConfigureAwait(false);
    }

    private async Task FireAsync(LeasedReminder reminder, CancellationToken cancellationToken)
    {
        var type = runtime.Registry.ForName(reminder.Grain.Type);
        if (type is null)
        {
            LogUnknownGrainType(reminder.Name, reminder.Grain.ToString());
            await runtime.Store.DropReminderAsync(reminder, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await runtime.InvokeReminderAsync(reminder, type, runtime.Time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (ReminderLeaseLostException)
        {
            LogLeaseLost(reminder.Name, reminder.Grain.ToString());
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var attempt = reminder.Attempts + 1;
            var delay = RetryDelay(attempt, runtime.Options.ReminderRetryBase, runtime.Options.ReminderRetryMax);
            LogTickFailed(ex, reminder.Name, reminder.Grain.ToString(), attempt, delay);
            try
            {
                await runtime.Store.RetryReminderAsync(reminder, runtime.Time.GetUtcNow() + delay, Describe(ex), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception storeError) when (!cancellationToken.IsCancellationRequested)
            {
                // The lease runs out on its own and another poll retries the tick.
                LogRetryNotRecorded(storeError, reminder.Name);
            }
        }
    }

    /// <summary>Exponential: base, 2×base, 4×base… capped at max.</summary>
    internal static TimeSpan RetryDelay(int attempt, TimeSpan baseDelay, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromMilliseconds(Math.Min(baseDelay.TotalMilliseconds * factor, max.TotalMilliseconds));
        return delay;
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try { await Task.Delay(delay, cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder poll failed; retrying")]
    private partial void LogPollFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Reminder} of {Grain} failed on attempt {Attempt}; next try in {Delay}")]
    private partial void LogTickFailed(Exception ex, string reminder, string grain, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Reminder} belongs to {Grain}, whose grain class no longer exists; it was removed")]
    private partial void LogUnknownGrainType(string reminder, string grain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {Reminder} of {Grain} was taken over by another node; this tick was dropped")]
    private partial void LogLeaseLost(string reminder, string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the retry of reminder {Reminder}; its lease will expire and it will run again")]
    private partial void LogRetryNotRecorded(Exception ex, string reminder);
}
