using Courier.Abstractions.Live;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Live;

/// <summary>
/// This node's live-update feed: every update committed here (published right after its commit)
/// and every update committed on another node (relayed through PostgreSQL NOTIFY). Subscribers
/// must be quick — queue the work, don't do it inline.
/// </summary>
public sealed partial class LiveUpdateBus(ILogger<LiveUpdateBus> log)
{
    private readonly Lock gate = new();
    private Func<LiveUpdate, ValueTask>[] subscribers = [];

    public IDisposable Subscribe(Func<LiveUpdate, ValueTask> subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (gate) subscribers = [.. subscribers, subscriber];
        return new Subscription(this, subscriber);
    }

    internal async ValueTask PublishAsync(LiveUpdate update)
    {
        foreach (var subscriber in Volatile.Read(ref subscribers))
        {
            try
            {
                await subscriber(update).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(ex, update.Kind, update.Source);
            }
        }
    }

    private void Unsubscribe(Func<LiveUpdate, ValueTask> subscriber)
    {
        lock (gate) subscribers = [.. subscribers.Where(s => s != subscriber)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-update subscriber failed on {Kind} from {Source}")]
    private partial void LogSubscriberFailed(Exception ex, string kind, string source);

    private sealed class Subscription(LiveUpdateBus bus, Func<LiveUpdate, ValueTask> subscriber) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(subscriber);
    }
}
