using System.Diagnostics;
using System.Text.Json;
using Courier.Bench.Harness;

namespace Courier.Bench.Web;

/// <summary>
/// Runs the measuring scripts in <c>bench/node</c> (Lighthouse, the SignalR client),
/// installed by <c>./courier bench web</c> with <c>npm ci</c>. Each reads JSON on stdin and prints
/// one JSON object per line.
/// </summary>
internal static class BenchNodeScripts
{
    public static string Folder => Path.Combine(RepositoryFolder.Root, "bench", "node");

    public static bool Installed =>
        new[] { "lighthouse", "chrome-launcher", "@microsoft/signalr" }
            .All(package => File.Exists(Path.Combine(Folder, "node_modules", package, "package.json")));

    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string script, object input, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node", Path.Combine(Folder, script))
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHROME_PATH"] = Environment.GetEnvironmentVariable("CHROME_PATH") is { Length: > 0 } chrome ? chrome : "/usr/bin/chromium";
        using var node = Process.Start(start) ?? throw new InvalidOperationException($"Could not start node {script}.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(input, JsonSerializerOptions.Web));
        node.StandardInput.Close();
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await node.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout.TotalSeconds:0} s.");
        }
        if (node.ExitCode != 0)
            throw new InvalidOperationException($"node {script} exited with {node.ExitCode}:\n{(await errors).Trim()}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
