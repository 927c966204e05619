using System.Diagnostics;
using Courier.Bench.Harness;
using Courier.Silo.Hosting;

namespace Courier.Bench.Runtime;

/// <summary>Scenario 4: what an idle activation costs in managed memory (activation, turn gate, grain, state, key, table entry).</summary>
internal static class ActivationMemory
{
    private static readonly int[] Sizes = [10_000, 100_000];
    private static readonly TimeSpan QuickEnough = TimeSpan.FromSeconds(5);

    public static async Task RunAsync()
    {
        Report.Section("4. Memory per idle activation (in-memory store, small grain)");
        foreach (var count in Sizes)
        {
            var (perActivation, took) = await MeasureAsync(count);
            Report.Row($"bytes per activation, N = {Report.Count(count)} ({Report.Seconds(took)} to activate)", Report.Bytes(perActivation), "(reported)");
            if (took > QuickEnough) break;
        }
        Report.EndSection();
    }

    private static async Task<(double PerActivation, TimeSpan Took)> MeasureAsync(int count)
    {
        await using var silo = await BenchSilo.StartAsync(null, s => { });
        await silo.Grains.GetGrain<IIdleGrain>("warm-up").TouchAsync();
        var before = SettledHeap();
        var watch = Stopwatch.StartNew();
        await LoadRun.ForEachAsync(count, 8, i => silo.Grains.GetGrain<IIdleGrain>($"idle-{i}").TouchAsync());
        var took = watch.Elapsed;
        var after = SettledHeap();
        var activations = await silo.ActivationCountAsync();
        if (activations < count + 1)
            throw new InvalidOperationException($"Expected at least {count + 1} activations, found {activations}.");
        return ((after - before) / (double)count, took);
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
