using System.Diagnostics;
using Courier.TestSupport;

namespace Courier.Silo.Tests.Cluster;

/// <summary>
/// The real app (src/WebFront, built with the solution) as a node of a test's cluster, in a process
/// of its own — the one kind of node a test can kill with SIGKILL.
/// </summary>
internal static class AppNodeProcess
{
    public static Process Start(string connectionString, IReadOnlyDictionary<string, string>? settings = null, Action<string>? onOutput = null)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))); // bin/<Release or Debug>/net10.0
        var project = Path.Combine(RepositoryPaths.Root, "src", "WebFront");
        var app = Path.Combine(project, "bin", configuration!, "net10.0", "Courier.WebFront.dll");
        Assert.True(File.Exists(app), $"{app} is built with the solution");
        var start = new ProcessStartInfo("dotnet", $"\"{app}\"") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ConnectionStrings__Courier"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Courier__Cluster__SiloPort"] = "0";
        start.Environment["Courier__Cluster__GatewayPort"] = "0";
        start.Environment["Courier__Logging__MinimumLevel"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text) onOutput?.Invoke(text); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
