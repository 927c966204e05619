using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Grains;

/// <summary>
/// Sends a call to a Courier grain again when Orleans rejected it before it ran — its target's
/// node died or is leaving — until the cluster has moved the grain, so the caller sees a slower
/// call instead of an error. Orleans drops the stale directory entry with the rejection; once
/// membership declares the node dead (seconds: <see cref="Cluster.ClusterSettings"/>), the next
/// attempt activates the grain on a live node. A rejected call never ran, so it cannot run twice.
/// </summary>
/// <remarks>
/// Orleans' own calls (membership probes, the directory, reminders) are left alone: they have
/// their own retries, and holding a probe back would slow down the very failure detection this
/// waits for.
/// </remarks>
internal sealed class RejectedCallRetryFilter(IOptions<RuntimeOptions> options) : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                await context.Invoke();
                if (context.Response?.Exception is not OrleansMessageRejectionException || !MayRetry(context, started, pause)) return;
            }
            catch (OrleansMessageRejectionException) when (MayRetry(context, started, pause))
            {
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private bool MayRetry(IOutgoingGrainCallContext context, long started, TimeSpan pause) =>
        IsCourierGrain(context) && Stopwatch.GetElapsedTime(started) + pause <= options.Value.NodeLossPatience;

    private static bool IsCourierGrain(IOutgoingGrainCallContext context) =>
        context.Request.GetInterfaceType().Namespace?.StartsWith("Courier.", StringComparison.Ordinal) == true;
}
