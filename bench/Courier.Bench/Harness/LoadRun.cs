using System.Diagnostics;

namespace Courier.Bench.Harness;

/// <summary>What a closed-loop load run achieved.</summary>
internal sealed record LoadResult(int Callers, long Calls, long Errors, TimeSpan Elapsed, Distribution? LatencyMs)
{
    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;
}

/// <summary>
/// Closed-loop load: <c>callers</c> independent async callers, each issuing its next call as soon as
/// the previous one returned, until the duration is up.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(int callers, TimeSpan duration, Func<int, long, Task> call, bool recordLatency = false)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counts = new long[callers];
        var errors = new long[callers];
        var latencies = recordLatency ? new List<long>[callers] : null;
        var started = 0L;
        var stopAt = 0L;

        async Task Caller(int index)
        {
            var samples = latencies is null ? null : latencies[index] = new List<long>(4096);
            await start.Task;
            long done = 0;
            while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await call(index, done);
                }
                catch (Exception ex)
                {
                    if (errors[index]++ == 0) Console.WriteLine($"    caller {index}: {ex.GetType().Name}: {ex.Message}");
                }
                samples?.Add(Stopwatch.GetTimestamp() - before);
                done++;
                // Calls that complete synchronously would otherwise hold a pool thread for the whole run.
                if ((done & 63) == 0) await Task.Yield();
            }
            counts[index] = done;
        }

        var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(() => Caller(i))).ToArray();
        started = Stopwatch.GetTimestamp();
        Volatile.Write(ref stopAt, started + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        start.SetResult();
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Distribution? latency = null;
        if (latencies is not null)
            latency = Distribution.Of(latencies.SelectMany(l => l).Select(t => t * 1000.0 / Stopwatch.Frequency));
        return new LoadResult(callers, counts.Sum(), errors.Sum(), elapsed, latency);
    }

    /// <summary>Runs <paramref name="count"/> calls with at most <paramref name="parallel"/> in flight; returns the elapsed time.</summary>
    public static async Task<TimeSpan> ForEachAsync(int count, int parallel, Func<int, Task> call)
    {
        var watch = Stopwatch.StartNew();
        var next = -1;
        async Task Worker()
        {
            await Task.Yield();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                await call(i);
        }
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Worker()));
        return watch.Elapsed;
    }
}
