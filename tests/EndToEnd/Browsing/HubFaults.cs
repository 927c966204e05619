using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Stands between browsers and the live hub: a test can make the hub fail a topic's next
/// <c>Watch</c> calls the way an unexpected server error would (not a refusal), and count the calls.
/// </summary>
public sealed class HubFaults : IHubFilter
{
    private readonly ConcurrentDictionary<string, int> failuresLeft = new();
    private readonly ConcurrentDictionary<string, int> watches = new();

    /// <summary>The next <paramref name="times"/> watches of <paramref name="topic"/> fail with a server error.</summary>
    public void FailNextWatches(string topic, int times) => failuresLeft[topic] = times;

    /// <summary>How many times browsers asked to watch <paramref name="topic"/>, failed calls included.</summary>
    public int WatchesOf(string topic) => watches.GetValueOrDefault(topic);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        if (invocationContext.HubMethodName == "Watch" && invocationContext.HubMethodArguments is [string topic, ..])
        {
            watches.AddOrUpdate(topic, 1, (_, n) => n + 1);
            if (failuresLeft.TryGetValue(topic, out var left) && left > 0 && failuresLeft.TryUpdate(topic, left - 1, left))
                throw new InvalidOperationException($"Scripted failure of a watch of {topic}.");
        }
        return await next(invocationContext);
    }
}
