using System.Diagnostics;
using Courier.TestSupport;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Courier.Silo.Tests.Cluster;

public sealed class NodeFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await database.DisposeAsync();

    /// <summary>The real app (src/WebFront, built with the solution) as a second node of the cluster, in a process of its own.</summary>
    private Process StartAppNode()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))); // bin/<Release or Debug>/net10.0
        var project = Path.Combine(RepositoryPaths.Root, "src", "WebFront");
        var app = Path.Combine(project, "bin", configuration!, "net10.0", "Courier.WebFront.dll");
        Assert.True(File.Exists(app), $"{app} is built with the solution");
        var start = new ProcessStartInfo("dotnet", $"\"{app}\"") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ConnectionStrings__Courier"] = database.ConnectionString;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Courier__Cluster__SiloPort"] = "0";
        start.Environment["Courier__Cluster__GatewayPort"] = "0";
        start.Environment["Courier__Logging__MinimumLevel"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static SiloStatus StatusOf(ClusterNode node, SiloAddress silo) =>
        node.Membership.CurrentSnapshot.Members.TryGetValue(silo, out var member) ? member.Status : SiloStatus.None;

    [Fact]
    public async Task A_node_killed_without_warning_is_declared_dead_by_the_survivor()
    {
        await using var survivor = await ClusterNode.StartAsync(database.ConnectionString);
        using var victim = StartAppNode();
        try
        {
            await Eventually.TrueAsync(() => survivor.Membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2,
                TimeSpan.FromSeconds(90), because: "the app process joins the survivor's cluster");
            var victimSilo = survivor.Membership.CurrentSnapshot.Members.Values.Single(m => m.SiloAddress != survivor.Address).SiloAddress;

            victim.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no goodbye in the membership table
            var sinceKill = Stopwatch.StartNew();

            await Eventually.TrueAsync(() => StatusOf(survivor, victimSilo) == SiloStatus.Dead, TimeSpan.FromSeconds(60),
                because: "probes stop being answered and the survivor declares the node dead");
            output.WriteLine($"declared dead {sinceKill.Elapsed.TotalSeconds:0.0} s after SIGKILL");
            Assert.Equal(6, await database.ScalarAsync<int>(
                "SELECT status FROM orleans_silo WHERE port = $1 AND generation = $2", victimSilo.Endpoint.Port, victimSilo.Generation));
            Assert.Equal(SiloStatus.Active, StatusOf(survivor, survivor.Address));
        }
        finally
        {
            if (!victim.HasExited) victim.Kill(entireProcessTree: true);
        }
    }
}
