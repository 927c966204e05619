using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Courier.Silo.Logging;

/// <summary>
/// Courier's Serilog set-up. "Courier:Logging" gives the defaults (MinimumLevel, FilePath, Format:
/// text or json); the standard "Serilog" section is read last, so an operator's levels, overrides
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
            .Enrich.FromLogContext();

        if (json) logger.WriteTo.Console(new RenderedCompactJsonFormatter());
        else logger.WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: CultureInfo.InvariantCulture);

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
}
