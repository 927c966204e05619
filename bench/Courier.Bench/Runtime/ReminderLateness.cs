using System.Collections.Concurrent;
using Courier.Bench.Harness;
using Courier.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Bench.Runtime;

/// <summary>Scenario 3: 10,000 one-shot durable reminders due across a 10 s window — how late does each tick fire, and does each fire exactly once?</summary>
internal static class ReminderLateness
{
    private const int Reminders = 10_000;
    private const int RegisteringCallers = 64;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TargetP99 = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(Report report, BenchDatabase database, double persistedCallsPerSecond)
    {
        Report.Section($"3. Reminder lateness on PostgreSQL ({Report.Count(Reminders)} one-shot reminders over {Window.TotalSeconds:0} s)");
        var log = new AlarmLog();
        await using var silo = await BenchSilo.StartAsync(database.ConnectionString, s => s.AddSingleton(log));
        var clock = TimeProvider.System;

        // Registration must be over before the first reminder is due, or its lateness would be the registration's.
        var registering = TimeSpan.FromSeconds(Math.Clamp(Reminders / Math.Max(persistedCallsPerSecond, 1) * 2, 2, 20));
        var firstDue = clock.GetUtcNow() + registering + TimeSpan.FromSeconds(1);
        var dueOf = Enumerable.Range(0, Reminders).Select(i => firstDue + Window * i / Reminders).ToArray();
        var dueByKey = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var committedLateMs = new ConcurrentQueue<double>();
        silo.Commits.Committed += commit =>
        {
            if (commit.Completion is not null && dueByKey.TryGetValue(commit.Grain.Key, out var due))
                committedLateMs.Enqueue((clock.GetUtcNow() - due).TotalMilliseconds);
        };

        var registrationErrors = 0;
        var registration = await LoadRun.ForEachAsync(Reminders, RegisteringCallers, async i =>
        {
            var key = $"alarm-{i}";
            dueByKey[key] = dueOf[i];
            try
            {
                await silo.Grains.GetGrain<IAlarmGrain>(key).ArmAsync(dueOf[i]);
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref registrationErrors) == 1) Console.WriteLine($"    registration failed: {ex.Message}");
            }
        });
        var slack = firstDue - clock.GetUtcNow();
        Report.Row($"registration ({RegisteringCallers} concurrent callers)", Report.Seconds(registration));
        Report.Row("  registrations/s", Report.Rate(Reminders / registration.TotalSeconds));
        Report.Row("  time left before the first due tick", Report.Seconds(slack));

        var lastDue = dueOf[^1];
        var giveUpAt = lastDue + TimeSpan.FromSeconds(30);
        while (log.Total < Reminders && clock.GetUtcNow() < giveUpAt)
            await Task.Delay(100);
        var allFiredAt = clock.GetUtcNow();
        // Give a duplicate the chance to show up.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var left = await database.ScalarAsync<long>("SELECT count(*) FROM reminders");
        // Orleans' copies go after each tick's commit: count what is left of them a little later.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var orleansLeft = await database.ScalarAsync<long>("SELECT count(*) FROM orleans_reminder");

        var fired = Distribution.Of(log.FiredLateMs);
        var received = Distribution.Of(log.ReceivedLateMs);
        var completed = Distribution.Of(committedLateMs);
        Report.Row("ticks received / distinct grains", $"{Report.Count(log.Total)} / {Report.Count(log.DistinctGrains)}", $"= {Report.Count(Reminders)}");
        Report.Row("duplicate ticks", Report.Count(log.Duplicates), "= 0");
        Report.Row("reminders left in database (Courier's rows)", Report.Count(left), "= 0");
        Report.Row("reminders left in database (Orleans' rows)", Report.Count(orleansLeft), "= 0");
        Report.Row("last tick received after last due", Report.Ms((allFiredAt - lastDue).TotalMilliseconds));
        Report.Row("lateness fired (Orleans' tick time - due) p50", Report.Ms(fired.P50));
        Report.Row("                                       p99", Report.Ms(fired.P99));
        Report.Row("                                       max", Report.Ms(fired.Max));
        Report.Row("lateness received (wall clock in grain) p50", Report.Ms(received.P50));
        Report.Row("                                        p99", Report.Ms(received.P99), $"<= {Report.Ms(TargetP99.TotalMilliseconds)}");
        Report.Row("                                        max", Report.Ms(received.Max));
        Report.Row("lateness committed (tick's commit done) p50", Report.Ms(completed.P50));
        Report.Row("                                        p99", Report.Ms(completed.P99));
        Report.Row("                                        max", Report.Ms(completed.Max));
        Report.Note($"Orleans reminders (ADO.NET on PostgreSQL); a tick that throws comes back after {silo.Commits.Options.ReminderRetry.TotalSeconds:0} s");
        if (slack < TimeSpan.Zero)
            Report.Note("registration overran the first due time: early ticks are late because they were registered late.");
        Report.EndSection();

        var exactlyOnce = log.Total == Reminders && log.DistinctGrains == Reminders && log.Duplicates == 0 && left == 0 && orleansLeft == 0 && registrationErrors == 0;
        report.Verdict("reminders all fire exactly once", exactlyOnce,
            $"{Report.Count(log.DistinctGrains)}/{Report.Count(Reminders)} fired, {Report.Count(log.Duplicates)} duplicates, {Report.Count(left)} left");
        report.Verdict("reminder lateness p99 <= 1 s", received.P99 <= TargetP99.TotalMilliseconds,
            $"p99 {Report.Ms(received.P99)} (p50 {Report.Ms(received.P50)}, max {Report.Ms(received.Max)})");
    }
}
