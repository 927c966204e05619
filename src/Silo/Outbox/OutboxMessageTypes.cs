using Courier.Abstractions.Runtime;

namespace Courier.Silo.Outbox;

/// <summary>The stored name of an outbox message type, by which its handler is found: its <see cref="StoredName"/>.</summary>
internal static class OutboxMessageTypes
{
    public static string NameOf(Type messageType) => StoredName.Of(messageType);
}
