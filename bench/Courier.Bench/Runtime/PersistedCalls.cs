using Courier.Bench.Harness;
using Courier.Silo.Hosting;

namespace Courier.Bench.Runtime;

/// <summary>Scenario 2: committed grain calls on PostgreSQL, one transaction each, 64 grains called concurrently.</summary>
internal static class PersistedCalls
{
    private const int Grains = 64;
    private const double Target = 2_000;
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(5);

    /// <summary>Returns the measured calls per second (the reminder scenario sizes its registration window from it).</summary>
    public static async Task<double> RunAsync(Report report, BenchDatabase database)
    {
        Report.Section($"2. Persisted grain calls on PostgreSQL ({Grains} grains, {Grains} callers, one transaction per call)");
        await using var silo = await BenchSilo.StartAsync(database.ConnectionString, s => { });
        var counters = Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<ICounterGrain>($"persisted-{i}")).ToArray();

        await LoadRun.ForEachAsync(Grains, Grains, i => counters[i].Increment());
        var warmUp = await LoadRun.RunAsync(Grains, TimeSpan.FromSeconds(1), (caller, _) => counters[caller].Increment());
        var run = await LoadRun.RunAsync(Grains, Measure, (caller, _) => counters[caller].Increment(), recordLatency: true);
        var latency = run.LatencyMs!;

        var expected = Grains + warmUp.Calls + run.Calls;
        var committed = await database.ScalarAsync<decimal>(
            "SELECT coalesce(sum(version), 0) FROM grain_state WHERE grain_key LIKE 'persisted-%'");
        Report.Row($"committed calls/s, {Report.Seconds(run.Elapsed)}", Report.Rate(run.CallsPerSecond), $">= {Report.Rate(Target)}");
        Report.Row("call latency p50", Report.Ms(latency.P50));
        Report.Row("call latency p99", Report.Ms(latency.P99));
        Report.Row("call latency max", Report.Ms(latency.Max));
        Report.Row("calls / errors", $"{Report.Count(run.Calls)} / {Report.Count(run.Errors)}");
        Report.Row("state versions in database / calls made (all runs)", $"{Report.Count((long)committed)} / {Report.Count(expected)}", "equal");
        Report.EndSection();
        report.Verdict("persisted calls/s >= 2,000", run.CallsPerSecond >= Target && run.Errors == 0 && (long)committed == expected,
            $"{Report.Rate(run.CallsPerSecond)}, p50 {Report.Ms(latency.P50)}, p99 {Report.Ms(latency.P99)}");
        return run.CallsPerSecond;
    }
}
