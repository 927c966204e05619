using Courier.Abstractions.Runtime;

namespace Courier.Silo.Grains;

/// <summary>
/// Fails a grain call that would wait for itself (A → B → A) at once, naming the cycle, instead of
/// letting it wait out Orleans' response timeout. Every call into a Courier grain adds that grain to
/// the call path carried in Orleans' <see cref="RequestContext"/> (<see cref="Enter"/>, from
/// <see cref="CommitFilter"/>); a call out to a grain already on the path is a cycle, because
/// Courier's grains are not reentrant.
/// </summary>
internal sealed class CallCycleFilter : IOutgoingGrainCallFilter
{
    private const string PathKey = "courier.call-path";

    /// <summary>Puts <paramref name="grain"/> on the call path of the call now running in it.</summary>
    public static void Enter(GrainId grain)
    {
        var path = RequestContext.Get(PathKey) as string[];
        string[] entered = path is null ? [grain.ToString()] : [.. path, grain.ToString()];
        RequestContext.Set(PathKey, entered);
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (RequestContext.Get(PathKey) is string[] path && context.SourceContext is not null)
        {
            var target = context.TargetId.ToString();
            if (Array.IndexOf(path, target) >= 0)
                throw new GrainCallCycleException(
                    $"Call {context.InterfaceName}.{context.MethodName} on {target} can never run: it is a call cycle ({string.Join(" → ", path)} → {target}). " +
                    "Courier's grains are not reentrant; break the cycle or send a message through the outbox.");
        }
        return context.Invoke();
    }
}
