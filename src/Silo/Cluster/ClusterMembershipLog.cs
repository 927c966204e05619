using Microsoft.Extensions.Logging;

namespace Courier.Silo.Cluster;

/// <summary>
/// One clear log line per node that joins or leaves the cluster, in place of the probe, socket and
/// placement chatter an operator would otherwise have to read a node failure from: a node that
/// stopped cleanly is information, one declared dead is a warning that names what happens next.
/// </summary>
internal sealed partial class ClusterMembershipLog(IClusterMembershipService membership, ILogger<ClusterMembershipLog> log)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource stopping = new();
    private Task watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterMembershipLog), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        watching = Task.Run(() => WatchAsync(membership.CurrentSnapshot, stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await watching.ConfigureAwait(false);
    }

    private async Task WatchAsync(ClusterMembershipSnapshot seen, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var member in snapshot.CreateUpdate(seen).Changes)
                    Describe(member, seen.GetSiloStatus(member.SiloAddress), Active(snapshot));
                seen = snapshot;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Describe(ClusterMember member, SiloStatus before, int active)
    {
        switch (member.Status)
        {
            case SiloStatus.Active:
                LogJoined(member.Name, member.SiloAddress.Endpoint.ToString(), active);
                break;
            case SiloStatus.Dead when before is SiloStatus.ShuttingDown or SiloStatus.Stopping:
                LogLeft(member.Name, member.SiloAddress.Endpoint.ToString(), active);
                break;
            case SiloStatus.Dead:
                LogDeclaredDead(member.Name, member.SiloAddress.Endpoint.ToString(), active);
                break;
        }
    }

    private static int Active(ClusterMembershipSnapshot snapshot) => snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} ({Endpoint}) joined the cluster; {Active} node(s) active")]
    private partial void LogJoined(string node, string endpoint, int active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} ({Endpoint}) left the cluster cleanly; {Active} node(s) active")]
    private partial void LogLeft(string node, string endpoint, int active);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} ({Endpoint}) stopped answering and was declared dead; its grains and reminders move to the {Active} active node(s), and calls to them are sent again meanwhile")]
    private partial void LogDeclaredDead(string node, string endpoint, int active);
}
