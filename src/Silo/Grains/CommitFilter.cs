using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Concurrency;

namespace Courier.Silo.Grains;

/// <summary>
/// The incoming grain-call filter that makes a Courier grain's call and its effects commit
/// together: every call to a grain with an <see cref="Courier.Grains.IGrainContext{TState}"/>
/// runs through that context, which commits what the call recorded when it returns. Reminder ticks
/// (<see cref="IRemindable.ReceiveReminder"/>) are checked against Courier's own reminder rows first.
/// Calls to grains without a Courier context (Orleans' own) pass straight through.
/// </summary>
internal sealed class CommitFilter : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> ReadOnlyMethods = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GetComponent<ICommittedCall>() is not { } call)
            return context.Invoke();
        CallCycleFilter.Enter(context.TargetId);
        if (context.InterfaceMethod.DeclaringType == typeof(IRemindable))
            return call.TickAsync(context, (TickStatus)context.Request.GetArgument(1)!);
        return call.RunAsync(context, ReadOnlyMethods.GetOrAdd(context.InterfaceMethod, static m => m.IsDefined(typeof(ReadOnlyAttribute), inherit: true)));
    }
}
