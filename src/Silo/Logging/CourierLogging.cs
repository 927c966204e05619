using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace Courier.Silo.Logging;

/// <summary>
/// Serilog, configured from "Courier:Logging": structured console output always, a rolling
/// file when FilePath is set. Plugged into Microsoft.Extensions.Logging by the hosts.
/// </summary>
public static class CourierLogging
{
    public static Serilog.ILogger Create(IConfiguration configuration)
    {
        var section = configuration.GetSection("Courier:Logging");
        var level = Enum.TryParse<LogEventLevel>(section["MinimumLevel"], ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting", LogEventLevel.Information)
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            // Orleans narrates every membership and directory step at Information.
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (section["FilePath"] is { Length: > 0 } path)
            logger = logger.WriteTo.File(path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return logger.CreateLogger();
    }
}
