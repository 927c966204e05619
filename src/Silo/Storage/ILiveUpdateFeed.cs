using Courier.Abstractions.Live;

namespace Courier.Silo.Storage;

/// <summary>Every node's committed live updates, for this node's hub (PostgreSQL <c>LISTEN</c> in the product).</summary>
internal interface ILiveUpdateFeed
{
    /// <summary>Receives every committed live update of every node until cancelled (the NOTIFY relay).</summary>
    Task ListenAsync(Func<LiveUpdate, ValueTask> onUpdate, Action onConnected, CancellationToken cancellationToken);
}
