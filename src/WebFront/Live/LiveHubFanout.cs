using System.Threading.Channels;
using Courier.Abstractions.Live;
using Courier.Silo.Live;
using Microsoft.AspNetCore.SignalR;

namespace Courier.WebFront.Live;

/// <summary>
/// Pushes this node's live updates (its own commits and other nodes' relayed ones) to the SignalR
/// groups named by their topics. Updates are queued by the bus subscriber and sent by one loop in
/// batches, so a burst of commits never waits on slow connections. Each message carries the source
/// grain's version and the commit time; clients drop what is not newer than what they hold.
/// </summary>
internal sealed partial class LiveHubFanout(LiveUpdateBus bus, IHubContext<LiveHub> hub, ILogger<LiveHubFanout> log) : BackgroundService
{
    private readonly Channel<LiveUpdate> queue = Channel.CreateUnbounded<LiveUpdate>(new() { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe(update =>
        {
            queue.Writer.TryWrite(update);
            return ValueTask.CompletedTask;
        });
        var batch = new List<LiveUpdate>();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < 256 && queue.Reader.TryRead(out var update)) batch.Add(update);
                await Task.WhenAll(batch.SelectMany(update => update.Topics.Select(topic => SendAsync(topic, update)))).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(string topic, LiveUpdate update)
    {
        try
        {
            await hub.Clients.Group(topic).SendAsync(update.Kind, new LiveMessage(update.Source, update.Version, update.At, update.Data)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSendFailed(ex, update.Kind, topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Kind} to {Topic}")]
    private partial void LogSendFailed(Exception ex, string kind, string topic);
}

/// <summary>What a client receives: the event's own fields under <c>data</c>, plus where it came from, its version and time.</summary>
internal sealed record LiveMessage(string Source, long Version, DateTimeOffset At, System.Text.Json.JsonElement Data);
