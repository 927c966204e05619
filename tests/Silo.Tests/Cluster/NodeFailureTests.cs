using System.Diagnostics;
using Courier.TestSupport;
using Orleans.Runtime;
using Serilog.Events;
using Xunit.Abstractions;

namespace Courier.Silo.Tests.Cluster;

public sealed class NodeFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await database.DisposeAsync();

    private Process StartAppNode(Action<string>? onOutput = null) => AppNodeProcess.Start(database.ConnectionString, onOutput: onOutput);

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
            var death = Assert.Single(survivor.Log.Events, e => e.Properties["SourceContext"].ToString() == "\"Courier.Silo.Cluster.ClusterMembershipLog\"" && e.Level == LogEventLevel.Warning);
            Assert.Contains("stopped answering and was declared dead", death.MessageTemplate.Text, StringComparison.Ordinal);
            Assert.Equal($"\"{victimSilo.Endpoint}\"", death.Properties["Endpoint"].ToString());
        }
        finally
        {
            if (!victim.HasExited) victim.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Calls_to_grains_that_lived_on_a_killed_node_wait_for_the_cluster_to_move_them_instead_of_failing()
    {
        await using var survivor = await ClusterNode.StartAsync(database.ConnectionString);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var victim = StartAppNode(line =>
        {
            if (line.Split("Now listening on: ") is [_, var url]) listening.TrySetResult(new Uri(url.Trim()));
        });
        try
        {
            var web = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
            await Eventually.TrueAsync(() => survivor.Membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2,
                TimeSpan.FromSeconds(90), because: "the app process joins the survivor's cluster");
            var carts = Enumerable.Range(0, 40).Select(_ => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))).ToArray();
            using (var http = new HttpClient { BaseAddress = web })
            {
                foreach (var token in carts)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cart");
                    request.Headers.Add("Cookie", $"Courier.Cart={token}");
                    (await http.SendAsync(request)).EnsureSuccessStatusCode(); // activates the cart wherever Orleans places it
                }
            }
            var management = survivor.Grains.GetGrain<IManagementGrain>(0);
            var onVictim = (await management.GetDetailedGrainStatistics()).Count(g => g.GrainId.Type.ToString().Contains("CartGrain", StringComparison.Ordinal) && g.SiloAddress != survivor.Address);
            Assert.True(onVictim > 0, "some carts live on the node about to be killed");

            victim.Kill(entireProcessTree: true);
            var loggedBefore = survivor.Log.Events.Count;
            var views = await Task.WhenAll(carts.Select(token => survivor.Grains.GetGrain<Courier.Abstractions.Carts.ICartGrain>($"anon:{token}").GetAsync()));

            Assert.All(views, view => Assert.Equal(0, view.ItemCount));
            // An outage is a handful of clear lines, not one error with a stack per call that could not be delivered.
            var trouble = survivor.Log.Events.Skip(loggedBefore).Where(e => e.Level >= LogEventLevel.Warning).ToList();
            Assert.DoesNotContain(trouble, e => e.Exception is OrleansMessageRejectionException);
            Assert.True(trouble.Count <= 10, $"{trouble.Count} warnings and errors:\n{string.Join("\n", trouble.Select(e => $"{e.Properties["SourceContext"]}: {e.RenderMessage()}"))}");
        }
        finally
        {
            if (!victim.HasExited) victim.Kill(entireProcessTree: true);
        }
    }
}
