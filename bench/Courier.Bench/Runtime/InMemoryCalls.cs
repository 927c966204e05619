using Courier.Bench.Harness;
using Courier.Silo.Hosting;

namespace Courier.Bench.Runtime;

/// <summary>Scenario 1: how many grain calls one node runs when the store costs nothing — the runtime's own overhead.</summary>
internal static class InMemoryCalls
{
    private const int Grains = 10_000;
    private static readonly int[] CallerLevels = [2 * Environment.ProcessorCount, 16, 64];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Report report)
    {
        Report.Section($"1. In-memory grain calls ({Report.Count(Grains)} grains, in-memory store)");
        await using var silo = await BenchSilo.StartAsync(null, s => { });
        var counters = Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<ICounterGrain>($"counter-{i}")).ToArray();

        var activation = await LoadRun.ForEachAsync(Grains, 64, i => counters[i].IncrementAsync());
        Report.Row($"activate {Report.Count(Grains)} grains (first increment)", Report.Seconds(activation));

        Func<int, long, Task> Spread(int callers, Func<ICounterGrain, Task> call) =>
            (caller, n) => call(counters[(int)((caller + n * callers) % Grains)]);

        var (increments, incrementCalls) = await MeasureAsync("increment", c => Spread(c, g => g.IncrementAsync()));
        var (queries, _) = await MeasureAsync("[Query] read", c => Spread(c, g => g.GetAsync()));

        // Every counted increment must be in the grains' state, or the rate counts calls that did nothing.
        long inState = 0;
        foreach (var counter in counters) inState += await counter.GetAsync();
        var expected = Grains + incrementCalls;

        Report.Row($"increment (commit) calls/s @{increments.Callers} callers, {Report.Seconds(increments.Elapsed)}",
            Report.Rate(increments.CallsPerSecond), "(reported)");
        Report.Row($"[ReadOnly] read calls/s @{queries.Callers} callers, {Report.Seconds(queries.Elapsed)}",
            Report.Rate(queries.CallsPerSecond), "(reported)");
        Report.Row("increments in grain state / calls made (all runs)", $"{Report.Count(inState)} / {Report.Count(expected)}", "equal");
        Report.Row("errors", Report.Count(increments.Errors + queries.Errors));
        Report.Row("activations after run", Report.Count(await silo.ActivationCountAsync()));
        Report.EndSection();
        // Issue 12: on Orleans this rate is reported, not judged (Courier's own runtime did 2.1–2.4 M/s
        // with no cluster directory; Orleans measured ~280 k/s in the spike). What is judged is that
        // every call counted did its work.
        Report.Note($"reported, no target: {Report.Rate(increments.CallsPerSecond)} increments, {Report.Rate(queries.CallsPerSecond)} reads");
        report.Verdict("in-memory calls all land in state", increments.Errors == 0 && queries.Errors == 0 && inState == expected,
            $"{Report.Count(inState)}/{Report.Count(expected)} increments in state; {Report.Rate(increments.CallsPerSecond)} increments/s (reported)");
    }

    /// <summary>Warms up, probes each caller level, then measures the best one; also returns every call made, warm-up included.</summary>
    private static async Task<(LoadResult Best, long AllCalls)> MeasureAsync(string what, Func<int, Func<int, long, Task>> callFor)
    {
        // Long enough for tiered compilation to reach its optimised (PGO) code: the probes compare caller levels, not JIT tiers.
        var warmUp = await LoadRun.RunAsync(16, WarmUp, callFor(16));
        var allCalls = warmUp.Calls;
        var best = (Callers: 0, Rate: 0.0);
        foreach (var callers in CallerLevels.Distinct())
        {
            var probe = await LoadRun.RunAsync(callers, Probe, callFor(callers));
            allCalls += probe.Calls;
            Report.Row($"  probe {what} @{callers} callers, {Report.Seconds(probe.Elapsed)}", Report.Rate(probe.CallsPerSecond));
            if (probe.CallsPerSecond > best.Rate) best = (callers, probe.CallsPerSecond);
        }
        var measured = await LoadRun.RunAsync(best.Callers, Measure, callFor(best.Callers));
        return (measured, allCalls + measured.Calls);
    }
}
