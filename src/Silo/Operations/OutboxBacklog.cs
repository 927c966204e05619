using System.Diagnostics;
using Courier.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Operations;

/// <summary>
/// The outbox's backlog for the <c>courier.outbox.*</c> gauges. A scrape asks for it synchronously,
/// and every node of a cluster is scraped, so the counts are read at most once per
/// <see cref="MaxAge"/>; a scrape that finds them older starts one read and waits for it briefly,
/// answering with the previous counts if the database is slow.
/// </summary>
internal sealed partial class OutboxBacklog(IOutboxStore store, ILogger<OutboxBacklog> log)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private OutboxCounts? last;
    private long readAt;
    private Task? reading;

    /// <summary>The latest counts, or null while none could be read yet.</summary>
    public OutboxCounts? Read()
    {
        Task pending;
        lock (gate)
        {
            if (last is not null && Stopwatch.GetElapsedTime(readAt) < MaxAge) return last;
            // Task.Run: the read never completes inside this lock, so it always clears 'reading' after it is set.
            reading ??= Task.Run(RefreshAsync);
            pending = reading;
        }
        pending.Wait(Patience);
        lock (gate) return last;
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(QueryTimeout);
            var counts = await store.CountOutboxAsync(timeout.Token).ConfigureAwait(false);
            lock (gate)
            {
                last = counts;
                readAt = Stopwatch.GetTimestamp();
            }
        }
        catch (Exception ex)
        {
            LogReadFailed(ex);
        }
        finally
        {
            lock (gate) reading = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the outbox for the courier.outbox metrics; the last counts stay")]
    private partial void LogReadFailed(Exception ex);
}
