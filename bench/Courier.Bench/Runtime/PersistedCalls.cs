using Courier.Bench.Harness;
using Courier.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Courier.Bench.Runtime;

/// <summary>
/// Scenario 2: committed grain calls on PostgreSQL — one state update and one outbox message each,
/// one transaction per call, 64 grains called concurrently — beside the same transaction sent raw
/// through Npgsql by 64 callers, with no Orleans and no Courier: what the database alone allows.
/// </summary>
internal static class PersistedCalls
{
    private const int Grains = 64;
    private const double Target = 2_000;
    private const double ShareOfRaw = 0.5;
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(5);

    /// <summary>Returns the measured calls per second (the reminder scenario sizes its registration window from it).</summary>
    public static async Task<double> RunAsync(Report report, BenchDatabase database)
    {
        Report.Section($"2. Persisted grain calls on PostgreSQL ({Grains} grains, {Grains} callers, one state update + one outbox message per call)");
        LoadResult run;
        LoadResult warmUp;
        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, s =>
        {
            s.AddSingleton<CountedHandler>();
            s.AddOutboxHandler<Counted, CountedHandler>();
        }))
        {
            var counters = Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<ICounterGrain>($"persisted-{i}")).ToArray();
            await LoadRun.ForEachAsync(Grains, Grains, i => counters[i].IncrementAndSendAsync());
            warmUp = await LoadRun.RunAsync(Grains, TimeSpan.FromSeconds(1), (caller, _) => counters[caller].IncrementAndSendAsync());
            run = await LoadRun.RunAsync(Grains, Measure, (caller, _) => counters[caller].IncrementAndSendAsync(), recordLatency: true);
        }
        var latency = run.LatencyMs!;
        var expected = Grains + warmUp.Calls + run.Calls;
        var committed = await database.ScalarAsync<decimal>(
            "SELECT coalesce(sum(version), 0) FROM grain_state WHERE grain_key LIKE 'persisted-%'");

        var raw = await RawAsync(database);

        Report.Row($"committed calls/s, {Report.Seconds(run.Elapsed)}", Report.Rate(run.CallsPerSecond), $">= {Report.Rate(Target)}");
        Report.Row("call latency p50", Report.Ms(latency.P50));
        Report.Row("call latency p99", Report.Ms(latency.P99));
        Report.Row("call latency max", Report.Ms(latency.Max));
        Report.Row("calls / errors", $"{Report.Count(run.Calls)} / {Report.Count(run.Errors)}");
        Report.Row("state versions in database / calls made (all runs)", $"{Report.Count((long)committed)} / {Report.Count(expected)}", "equal");
        Report.Row($"raw Npgsql transactions/s, same shape, {Grains} callers", Report.Rate(raw.CallsPerSecond));
        Report.Row("  raw latency p50 / p99", $"{Report.Ms(raw.LatencyMs!.P50)} / {Report.Ms(raw.LatencyMs.P99)}");
        Report.Row("grain calls / raw transactions", $"{run.CallsPerSecond / raw.CallsPerSecond:0.00}", $">= {ShareOfRaw:0.0}");
        Report.EndSection();
        report.Verdict("persisted calls/s >= 2,000", run.CallsPerSecond >= Target && run.Errors == 0 && (long)committed == expected,
            $"{Report.Rate(run.CallsPerSecond)}, p50 {Report.Ms(latency.P50)}, p99 {Report.Ms(latency.P99)}");
        report.Verdict("persisted calls >= 0.5 x raw transactions", run.CallsPerSecond >= ShareOfRaw * raw.CallsPerSecond,
            $"{run.CallsPerSecond / raw.CallsPerSecond:0.00} x ({Report.Rate(run.CallsPerSecond)} / {Report.Rate(raw.CallsPerSecond)})");
        return run.CallsPerSecond;
    }

    /// <summary>
    /// The grain call's transaction without the grain: the same version-checked state update and
    /// outbox insert in one batch (one round trip, one implicit transaction), on a pool set up as the
    /// product's (20 connections, no reset on close, auto-prepared statements).
    /// </summary>
    private static async Task<LoadResult> RawAsync(BenchDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            MaxPoolSize = SiloServiceCollectionExtensions.DefaultMaxPoolSize,
            NoResetOnClose = true,
            MaxAutoPrepare = 64,
        };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var versions = Enumerable.Repeat(1L, Grains).ToArray();
        await using (var seed = dataSource.CreateCommand(
            "INSERT INTO grain_state (grain_type, grain_key, version, state, updated_at) " +
            "SELECT 'bench.raw', 'raw-' || i, 1, '{\"count\":1}', now() FROM generate_series(0, $1) AS i"))
        {
            seed.Parameters.Add(new NpgsqlParameter { Value = Grains - 1 });
            await seed.ExecuteNonQueryAsync();
        }

        async Task Transaction(int caller, long n)
        {
            var version = ++versions[caller];
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(
                        "UPDATE grain_state SET version = version + 1, state = $1::jsonb, updated_at = now() " +
                        "WHERE grain_type = 'bench.raw' AND grain_key = $2 AND version = $3")
                    {
                        Parameters = { new NpgsqlParameter { Value = $"{{\"count\":{version}}}" }, new NpgsqlParameter { Value = $"raw-{caller}" }, new NpgsqlParameter { Value = version - 1 } },
                    },
                    new NpgsqlBatchCommand(
                        "INSERT INTO outbox (id, message_type, payload, grain_type, grain_key, created_at, next_attempt_at) " +
                        "VALUES ($1, 'bench.raw', $2::jsonb, 'bench.raw', $3, now(), now())")
                    {
                        Parameters = { new NpgsqlParameter { Value = Guid.CreateVersion7() }, new NpgsqlParameter { Value = $"{{\"key\":\"raw-{caller}\",\"count\":{version}}}" }, new NpgsqlParameter { Value = $"raw-{caller}" } },
                    },
                },
            };
            await batch.ExecuteNonQueryAsync();
        }

        await LoadRun.RunAsync(Grains, TimeSpan.FromSeconds(1), Transaction);
        var result = await LoadRun.RunAsync(Grains, Measure, Transaction, recordLatency: true);
        // No handler takes these: the next scenario's silo must not spend its time retrying them.
        await using (var cleanUp = dataSource.CreateCommand("DELETE FROM outbox WHERE message_type = 'bench.raw'"))
            await cleanUp.ExecuteNonQueryAsync();
        return result;
    }
}
