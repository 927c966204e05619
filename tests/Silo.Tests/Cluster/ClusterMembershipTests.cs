using Courier.TestSupport;
using Orleans.Runtime;

namespace Courier.Silo.Tests.Cluster;

public sealed class ClusterMembershipTests : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await database.DisposeAsync();

    private static IReadOnlyList<SiloAddress> ActiveSilos(ClusterNode node) =>
        [.. node.Membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];

    [Fact]
    public async Task Two_nodes_on_one_database_form_one_cluster_and_a_stopped_node_leaves_it()
    {
        await using var first = await ClusterNode.StartAsync(database.ConnectionString);
        await using var second = await ClusterNode.StartAsync(database.ConnectionString);

        await Eventually.TrueAsync(() => ActiveSilos(first).Count == 2 && ActiveSilos(second).Count == 2,
            because: "each node sees both silos active");
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_silo WHERE cluster_id = 'courier' AND status = $1", Active));

        await second.StopAsync();

        await Eventually.TrueAsync(() => ActiveSilos(first).SequenceEqual([first.Address]), because: "the survivor sees the stopped node gone");
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_silo WHERE status = $1", Dead));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_silo WHERE status = $1", Active));
    }

    [Fact]
    public async Task Nodes_with_different_cluster_ids_on_one_database_stay_apart()
    {
        await using var shop = await ClusterNode.StartAsync(database.ConnectionString);
        await using var staging = await ClusterNode.StartAsync(database.ConnectionString, ("Courier:Cluster:ClusterId", "staging"));

        Assert.Equal([shop.Address], ActiveSilos(shop));
        Assert.Equal([staging.Address], ActiveSilos(staging));
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_cluster"));
    }

    [Fact]
    public async Task A_reminder_is_stored_in_postgres_fires_when_due_and_is_gone_once_unregistered()
    {
        await using var node = await ClusterNode.StartAsync(database.ConnectionString);
        var key = $"probe-{Guid.NewGuid():N}";
        var probe = node.Grains.GetGrain<IReminderProbeGrain>(key);

        await probe.ArmAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminder WHERE reminder_name = $1 AND grain_id LIKE '%' || $2 AND period_ms = 60000",
            ReminderProbeGrain.ReminderName, key));
        await Eventually.TrueAsync(() => ReminderProbeGrain.Ticks.GetValueOrDefault(key) >= 1, TimeSpan.FromSeconds(15),
            because: "a reminder due in a second fires well within 15 s");

        await probe.DisarmAsync();

        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_reminder WHERE grain_id LIKE '%' || $1", key));
    }

    [Fact]
    public async Task A_reminder_registered_on_one_node_survives_a_full_restart()
    {
        var key = $"probe-{Guid.NewGuid():N}";
        await using (var before = await ClusterNode.StartAsync(database.ConnectionString))
            await before.Grains.GetGrain<IReminderProbeGrain>(key).ArmAsync(TimeSpan.FromSeconds(3));

        await using var after = await ClusterNode.StartAsync(database.ConnectionString);

        await Eventually.TrueAsync(() => ReminderProbeGrain.Ticks.GetValueOrDefault(key) >= 1, TimeSpan.FromSeconds(20),
            because: "the reminder lives in PostgreSQL, not in the node that registered it");
    }
}
