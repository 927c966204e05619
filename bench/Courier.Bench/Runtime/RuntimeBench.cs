using Courier.Bench.Harness;

namespace Courier.Bench.Runtime;

/// <summary>The "runtime" bench: grain-call throughput in memory and on PostgreSQL, reminder lateness, activation memory.</summary>
internal static class RuntimeBench
{
    public static async Task<int> RunAsync()
    {
        if (BenchDatabase.AdminConnectionString is not { } admin)
        {
            Console.Error.WriteLine(
                $"{BenchDatabase.Variable} is not set. Run the bench with ./courier bench, which starts a throwaway PostgreSQL, " +
                "or set it to the connection string of a PostgreSQL server where the user may create databases.");
            return 2;
        }

        var report = new Report();
        await using var database = await BenchDatabase.CreateAsync(admin);
        await MachineFacts.PrintAsync(database.ConnectionString);
        await InMemoryCalls.RunAsync(report);
        var persistedRate = await PersistedCalls.RunAsync(report, database);
        await ReminderLateness.RunAsync(report, database, persistedRate);
        await ActivationMemory.RunAsync();
        report.PrintVerdicts();
        Console.WriteLine($"  (load average at the end: {MachineFacts.LoadAverage()})");
        return report.AllMet ? 0 : 1;
    }
}
