using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Courier.Bench.Web;

/// <summary>
/// HTTP load on one URL with wrk (Debian's package; C and epoll, so the load generator takes far
/// less of the two cores than the app it measures): a warm-up run, then the measured one.
/// </summary>
internal static partial class WrkLoad
{
    public static string? Executable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    public static async Task<WrkResult> RunAsync(Uri url, int connections, int warmupSeconds, int seconds)
    {
        if (warmupSeconds > 0) await RunOnceAsync(url, connections, warmupSeconds);
        return Parse(await RunOnceAsync(url, connections, seconds));
    }

    private static async Task<string> RunOnceAsync(Uri url, int connections, int seconds)
    {
        var wrk = Executable ?? throw new InvalidOperationException("wrk is not installed; ./courier bench web installs it (apt-get install wrk).");
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
                     "--connections", connections.ToString(CultureInfo.InvariantCulture),
                     "--duration", $"{seconds}s", "--timeout", "5s", "--latency", url.ToString() })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds + 60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    /// <summary>Reads wrk's report: Requests/sec, the latency line (max), the --latency percentiles and the error lines.</summary>
    internal static WrkResult Parse(string report)
    {
        double Percentile(string p) =>
            Milliseconds(Match(PercentileLine(), report, p) ?? throw Unreadable($"the {p}% latency"));
        var max = LatencyLine().Match(report) is { Success: true } latency ? Milliseconds(latency.Groups["max"].Value) : throw Unreadable("the latency line");
        var rate = RateLine().Match(report) is { Success: true } r ? double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : throw Unreadable("Requests/sec");
        var requests = RequestsLine().Match(report) is { Success: true } q ? long.Parse(q.Groups[1].Value, CultureInfo.InvariantCulture) : throw Unreadable("the request count");
        var non2xx = Non2xxLine().Match(report) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrorsLine().Match(report);
        long SocketErrors(string kind) => socket.Success ? long.Parse(socket.Groups[kind].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(rate, requests, Percentile("50"), Percentile("90"), Percentile("99"), max, non2xx,
            SocketErrors("connect") + SocketErrors("read") + SocketErrors("write"), SocketErrors("timeout"));

        Exception Unreadable(string what) => new InvalidOperationException($"Could not read {what} from wrk's report:\n{report}");
    }

    private static string? Match(Regex lines, string report, string percentile) =>
        lines.Matches(report).FirstOrDefault(m => m.Groups["p"].Value == percentile)?.Groups["value"].Value;

    private static double Milliseconds(string value)
    {
        var unit = UnitSuffix().Match(value);
        var number = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
        return unit.Groups["u"].Value switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            var other => throw new InvalidOperationException($"Unknown wrk time unit '{other}' in '{value}'."),
        };
    }

    [GeneratedRegex(@"^[ \t]+(?<p>\d+)%[ \t]+(?<value>[\d.]+(?:us|ms|s|m))[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"^[ \t]+Latency[ \t]+\S+[ \t]+\S+[ \t]+(?<max>[\d.]+(?:us|ms|s|m))", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RateLine();

    [GeneratedRegex(@"^[ \t]+(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (?<connect>\d+), read (?<read>\d+), write (?<write>\d+), timeout (?<timeout>\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"^(?<n>[\d.]+)(?<u>us|ms|s|m)$")]
    private static partial Regex UnitSuffix();
}

internal sealed record WrkResult(double RequestsPerSecond, long Requests, double P50, double P90, double P99, double Max, long Non2xx, long SocketErrors, long Timeouts)
{
    public long Failures => Non2xx + SocketErrors + Timeouts;
}
