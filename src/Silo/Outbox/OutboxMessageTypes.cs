namespace Courier.Silo.Outbox;

/// <summary>The stored name of an outbox message type: its full CLR name, stable across releases.</summary>
internal static class OutboxMessageTypes
{
    public static string NameOf(Type messageType) => messageType.FullName ?? messageType.Name;
}
