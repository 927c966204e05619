using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Courier.Silo.Logging;

/// <summary>
/// Courier's Serilog set-up. "Courier:Logging" gives the defaults (MinimumLevel, FilePath, Format:
/// text or json, Console: false to log to the file only); the standard "Serilog" section is read last, so an operator's levels, overrides
/// and sinks there win over them.
/// </summary>
public static class CourierLogging
{
    public const string SectionName = "Courier:Logging";

    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static LoggerConfiguration ConfigureForCourier(this LoggerConfiguration logger, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var level = Enum.TryParse<LogEventLevel>(section["MinimumLevel"], ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var json = section["Format"] switch
        {
            null or "" => false,
            var format when format.Equals("text", StringComparison.OrdinalIgnoreCase) => false,
            var format when format.Equals("json", StringComparison.OrdinalIgnoreCase) => true,
            var format => throw new InvalidOperationException(
                $"Courier:Logging:Format is \"{format}\"; set it to \"text\" (the default) or \"json\" (compact JSON, one event per line)."),
        };

        logger
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting", LogEventLevel.Information)
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            // Orleans narrates every membership and directory step at Information.
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            // Polly narrates every attempt of Orleans' placement (and of outgoing HTTP), even the
            // failed ones it retries; what finally fails is logged by its caller.
            .MinimumLevel.Override("Polly", LogEventLevel.Fatal)
            .Filter.ByExcluding(IsOrleansNoise)
            .Enrich.FromLogContext();

        if (section.GetValue("Console", defaultValue: true))
        {
            if (json) logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else logger.WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: CultureInfo.InvariantCulture);
        }

        if (section["FilePath"] is { Length: > 0 } path)
        {
            if (json)
                logger.WriteTo.File(new RenderedCompactJsonFormatter(), path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14);
            else
                logger.WriteTo.File(path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14,
                    outputTemplate: FileTemplate, formatProvider: CultureInfo.InvariantCulture);
        }

        return logger.ReadFrom.Configuration(configuration);
    }

    /// <summary>
    /// What Orleans logs that Courier says better or that is not true:
    /// <list type="bullet">
    /// <item>an error with its stack, and a warning, for every call it could not deliver to a node
    /// that has just died — dozens a second while membership decides. Courier sends those calls
    /// again (<see cref="Grains.RejectedCallRetryFilter"/>) and logs the node's death once
    /// (<see cref="Cluster.ClusterMembershipLog"/>);</item>
    /// <item>its watchdog's first check, which measures the time since the machine booted and
    /// reports it as a stall of that length.</item>
    /// </list>
    /// </summary>
    private static readonly DateTime ProcessStarted = System.Diagnostics.Process.GetCurrentProcess().StartTime;

    private static bool IsOrleansNoise(LogEvent logEvent)
    {
        if (!logEvent.Properties.TryGetValue("SourceContext", out var source) || source is not ScalarValue { Value: string context }
            || !context.StartsWith("Orleans.", StringComparison.Ordinal))
            return false;
        if (logEvent.Exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException) return true;
        var template = logEvent.MessageTemplate.Text;
        if (template.StartsWith("The target silo became unavailable for message", StringComparison.Ordinal)) return true;
        return template.StartsWith("Participant check thread has not completed", StringComparison.Ordinal)
            && logEvent.Properties.TryGetValue("TimeSinceLastTick", out var stalled) && stalled is ScalarValue { Value: TimeSpan stall }
            && stall > DateTime.Now - ProcessStarted;
    }
}
