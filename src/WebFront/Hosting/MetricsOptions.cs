using System.ComponentModel.DataAnnotations;

namespace Courier.WebFront.Hosting;

/// <summary>Who may scrape <c>GET /metrics</c> besides callers on this machine (configuration section "Courier:Metrics").</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Courier:Metrics";

    /// <summary>The bearer token a scraper elsewhere sends (<c>Authorization: Bearer …</c>); unset, only loopback callers are served.</summary>
    [MinLength(32, ErrorMessage = "Courier:Metrics:Token must be at least 32 characters long; make one with e.g. `openssl rand -hex 32`.")]
    public string? Token { get; set; }
}
