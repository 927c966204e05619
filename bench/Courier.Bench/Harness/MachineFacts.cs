using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Npgsql;

namespace Courier.Bench.Harness;

/// <summary>What the figures were measured on: they mean little without it.</summary>
internal static class MachineFacts
{
    public static async Task PrintAsync(string connectionString)
    {
        var facts = new List<(string, string)>
        {
            ("processors", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ("cpu", CpuModel()),
            ("memory", TotalMemory()),
            ("os", RuntimeInformation.OSDescription),
            (".net", RuntimeInformation.FrameworkDescription),
            ("gc", GCSettings.IsServerGC ? "server" : "workstation"),
            ("load average", LoadAverage() + "  (other work on the machine skews every figure)"),
        };
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var setting in new[] { "server_version", "synchronous_commit", "fsync", "max_connections" })
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            facts.Add(($"postgres {setting}", (string)(await command.ExecuteScalarAsync())!));
        }
        Report.Facts("Machine", facts);
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string TotalMemory()
    {
        var bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
    }
}
