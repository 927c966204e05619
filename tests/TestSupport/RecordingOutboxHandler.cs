using System.Collections.Concurrent;
using Courier.Silo.Outbox;

namespace Courier.TestSupport;

/// <summary>Stands in for the outside world behind an outbox message (mail server, payment provider): records what it was asked to do.</summary>
public sealed class RecordingOutboxHandler<TMessage> : IOutboxHandler<TMessage>
{
    private readonly ConcurrentQueue<TMessage> received = new();

    public IReadOnlyList<TMessage> Received => [.. received];

    public Task HandleAsync(TMessage message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        received.Enqueue(message);
        return Task.CompletedTask;
    }
}
