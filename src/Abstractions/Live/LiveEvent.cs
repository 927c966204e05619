using System.Text.Json.Serialization;

namespace Courier.Abstractions.Live;

/// <summary>
/// A small typed event that a grain publishes after a state change. The runtime stamps it with
/// the grain's committed version and the commit time, publishes it on this node and relays it
/// to the other nodes, where it is delivered to the <see cref="Topics"/>' watchers.
/// </summary>
public abstract record LiveEvent
{
    /// <summary>The event name clients listen for, e.g. "deliveryChanged".</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>Who may see it, e.g. "order:42", "customer:7", "admin".</summary>
    [JsonIgnore]
    public abstract IReadOnlyList<string> Topics { get; }
}
