using System.ComponentModel.DataAnnotations;

namespace Courier.Silo.Cluster;

/// <summary>
/// Configuration section "Courier:Cluster": how this node's Orleans silo joins the cluster of
/// every node that shares its database. The defaults make the embedded run a cluster of one.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Courier:Cluster";

    /// <summary>Nodes with the same cluster id (and database) form one cluster.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "courier";

    /// <summary>Names the service across deployments: reminders and stored state belong to it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "courier";

    /// <summary>Silo-to-silo port. 0 takes a free port at start-up (tests, several nodes on one machine).</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients outside the nodes. 0 takes a free port at start-up.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other nodes reach this one on, and the one it listens on. Loopback by default,
    /// which keeps the embedded run off the network; nodes on different machines set their own.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a node waits for a probe answer before counting it missed. With
    /// <see cref="MissedProbesBeforeSuspicion"/> it sets how soon a killed node is declared dead
    /// (here about 3 × 2 s plus a vote); too short declares a busy but live node dead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10)]
    public int MissedProbesBeforeSuspicion { get; set; } = 3;
}
