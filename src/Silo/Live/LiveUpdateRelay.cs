using Courier.Abstractions.Live;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Live;

/// <summary>
/// Receives the live updates every node commits (PostgreSQL LISTEN on the NOTIFY channel the
/// commits write to) and republishes the other nodes' updates on this node's bus; reconnects
/// with backoff when the connection drops.
/// </summary>
internal sealed partial class LiveUpdateRelay(CommitPipeline pipeline, ILiveUpdateFeed feed, ILogger<LiveUpdateRelay> log)
{
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the relay first listens.</summary>
    public Task Connected => connected.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await feed.ListenAsync(pipeline.OnRelayedAsync, () =>
                {
                    failures = 0;
                    connected.TrySetResult();
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, failures - 1), 10_000));
                LogDisconnected(ex, delay);
                try { await Task.Delay(delay, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live-update relay lost its connection; reconnecting in {Delay}")]
    private partial void LogDisconnected(Exception ex, TimeSpan delay);
}
