using System.ComponentModel.DataAnnotations;
using Courier.Abstractions.Deliveries;

namespace Courier.Silo.Deliveries;

/// <summary>Configuration section "Courier:Downloads".</summary>
public sealed class DownloadOptions
{
    public const string Section = "Courier:Downloads";

    /// <summary>How long a download link works; the customer can always make a new one.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Courier:Downloads:LinkValidity must be between 5 minutes and 30 days.")]
    public TimeSpan LinkValidity { get; set; } = DownloadPolicy.Default.LinkValidity;

    /// <summary>Downloads per purchase for products that set no limit of their own.</summary>
    [Range(1, 1000, ErrorMessage = "Courier:Downloads:DefaultLimit must be between 1 and 1000.")]
    public int DefaultLimit { get; set; } = DownloadPolicy.Default.Limit;
}
