namespace Courier.Abstractions.Runtime;

/// <summary>
/// Marks a grain interface method that only reads: the runtime skips the commit step for it.
/// A query that changes state anyway has its changes discarded.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QueryAttribute : Attribute;

/// <summary>How long an activation of this grain class may stay idle before it is deactivated.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class IdleDeactivationAttribute(int seconds) : Attribute
{
    public TimeSpan After { get; } = TimeSpan.FromSeconds(seconds);
}
