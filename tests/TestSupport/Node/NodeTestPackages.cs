using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Courier.TestSupport.Node;

/// <summary>
/// Runs Node scripts from <c>tests/node</c> against the official JavaScript peers (the stripe and
/// @microsoft/signalr packages) and holds axe-core for the browser tests, installing them from the
/// committed lock file the first time.
/// </summary>
public static class NodeTestPackages
{
    private static readonly string[] RequiredPackages = ["stripe", "@microsoft/signalr", "axe-core"];
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool installed;

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "node");

    /// <summary>Runs <c>node tests/node/{script} {arguments}</c> with <paramref name="standardInput"/>; fails the test if node exits non-zero.</summary>
    public static async Task<string> RunScriptAsync(string script, string standardInput, params string[] arguments)
    {
        await EnsureInstalledAsync();
        var result = await RunAsync("node", [Path.Combine(Folder, script), .. arguments], Folder, standardInput, TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Makes sure <c>tests/node/node_modules</c> holds the packages, running <c>npm ci</c> once if not.
    /// Test processes running in parallel take turns through a lock file, so only one installs.
    /// </summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (installed)
            {
                return;
            }

            using (await AcquireMachineWideLockAsync())
            {
                if (!AreInstalled())
                {
                    var npm = await RunAsync("npm", ["ci", "--prefix", Folder, "--no-audit", "--no-fund"], RepositoryPaths.Root, "", TimeSpan.FromMinutes(5));
                    if (npm.ExitCode != 0 || !AreInstalled())
                    {
                        throw new InvalidOperationException(
                            $"'npm ci --prefix tests/node' failed (exit {npm.ExitCode}); the Node peers these tests compare against are missing.\n{npm.StandardError}");
                    }
                }
            }

            installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static bool AreInstalled() =>
        RequiredPackages.All(package => File.Exists(Path.Combine(Folder, "node_modules", package, "package.json")));

    private static async Task<IDisposable> AcquireMachineWideLockAsync()
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Folder)))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"courier-npm-{key}.lock");
        var deadline = DateTimeOffset.UtcNow.AddMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<ProcessResult> RunAsync(string program, string[] arguments, string workingDirectory, string standardInput, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{program}'.");
        }
        catch (Win32Exception notFound)
        {
            throw new InvalidOperationException(
                $"'{program}' is not installed or not on PATH. These tests compare Courier with the official Node packages: "
                + "install Node.js 20+ and npm (e.g. apt-get install -y nodejs npm) and run them again.", notFound);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
            using var timer = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(timer.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{program} {string.Join(' ', arguments)}' did not finish within {timeout}.");
            }

            return new ProcessResult(process.ExitCode, await output, await error);
        }
    }

    private sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
}
