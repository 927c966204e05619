using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Courier.Bench.Harness;

/// <summary>
/// The real web front as a separate process (Kestrel on a free loopback port), as a seller runs it:
/// the Release build, started in src/WebFront as <c>./courier run</c> does, so its wwwroot is served.
/// </summary>
internal sealed class WebNode : IAsyncDisposable
{
    private readonly Process process;
    private bool disposed;

    private WebNode(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<WebNode> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var project = Path.Combine(RepositoryFolder.Root, "src", "WebFront");
        var dll = Path.Combine(project, "bin", "Release", "net10.0", "Courier.WebFront.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution in Release first (./courier bench does): {dll} is missing.");
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Courier"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["Courier__Cluster__SiloPort"] = "0";
        start.Environment["Courier__Cluster__GatewayPort"] = "0";
        start.Environment["Courier__Logging__MinimumLevel"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web front.");
        // Errors reach the bench's output; the node's ordinary log lines do not.
        var reported = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal))
                && Interlocked.Increment(ref reported) <= 5)
                Console.Error.WriteLine($"  [web] {line}");
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"  [web] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The web front exited with code {process.ExitCode}.");
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode) return new WebNode(process, address);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The web front did not become ready within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
