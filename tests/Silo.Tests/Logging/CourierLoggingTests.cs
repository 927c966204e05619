using System.Text.Json;
using Courier.Silo.Logging;
using Courier.TestSupport.Logging;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace Courier.Silo.Tests.Logging;

public sealed class CourierLoggingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"courier-logging-{Guid.NewGuid():N}");

    [Fact]
    public void Courier_settings_set_the_level_and_keep_the_noisy_libraries_at_warning()
    {
        var captured = Log(new() { ["Courier:Logging:MinimumLevel"] = "Debug" }, logger =>
        {
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Courier.Deliveries").Debug("delivery stepped");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Courier.Deliveries").Verbose("too fine");
            foreach (var library in new[] { "Microsoft.AspNetCore.Routing", "Npgsql.Command", "Orleans.Runtime.Membership" })
            {
                logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, library).Information("chatter");
                logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, library).Warning("trouble");
            }
        });

        Assert.Equal(["delivery stepped", "trouble", "trouble", "trouble"], captured.Events.Select(e => e.MessageTemplate.Text));
    }

    [Fact]
    public void The_Serilog_section_overrides_Courier_levels_and_adds_its_own()
    {
        var captured = Log(new()
        {
            ["Courier:Logging:MinimumLevel"] = "Information",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Npgsql"] = "Debug",
        }, logger =>
        {
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Courier.Orders").Information("order placed");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Courier.Orders").Warning("order stuck");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Npgsql.Connection").Debug("connection opened");
        });

        Assert.Equal(["order stuck", "connection opened"], captured.Events.Select(e => e.MessageTemplate.Text));
    }

    [Fact]
    public void The_Serilog_section_adds_sinks()
    {
        var extra = Path.Combine(folder, "extra.log");
        Log(new()
        {
            ["Serilog:WriteTo:0:Name"] = "File",
            ["Serilog:WriteTo:0:Args:path"] = extra,
        }, logger => logger.Information("Order {OrderId} paid", "ord_42"));

        Assert.Contains("Order ord_42 paid", File.ReadAllText(extra), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_format_writes_one_compact_json_event_per_line()
    {
        var path = Path.Combine(folder, "courier.log");
        Log(new() { ["Courier:Logging:Format"] = "json", ["Courier:Logging:FilePath"] = path },
            logger => logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Courier.Orders").Information("Order {OrderId} paid", "ord_42"));

        var line = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(folder))));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Contains("ord_42", json.GetProperty("@m").GetString(), StringComparison.Ordinal);
        Assert.Equal("ord_42", json.GetProperty("OrderId").GetString());
        Assert.Equal("Courier.Orders", json.GetProperty("SourceContext").GetString());
        Assert.True(json.TryGetProperty("@t", out _));
    }

    [Fact]
    public void Text_format_writes_plain_lines_with_their_level()
    {
        var path = Path.Combine(folder, "courier.log");
        Log(new() { ["Courier:Logging:FilePath"] = path }, logger => logger.Warning("Order {OrderId} stuck", "ord_7"));

        var line = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(folder))));
        Assert.Contains("[WRN]", line, StringComparison.Ordinal);
        Assert.Contains("Order ord_7 stuck", line, StringComparison.Ordinal);
        Assert.False(line.TrimStart().StartsWith('{'), "text, not JSON");
    }

    [Fact]
    public void An_unknown_format_stops_start_up_and_names_the_choices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Courier:Logging:Format"] = "xml" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => new LoggerConfiguration().ConfigureForCourier(configuration));

        Assert.Contains("\"text\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"json\"", error.Message, StringComparison.Ordinal);
    }

    private static CapturedLog Log(Dictionary<string, string?> settings, Action<ILogger> write)
    {
        var captured = new CapturedLog();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using (var logger = new LoggerConfiguration().ConfigureForCourier(configuration).WriteTo.Sink(captured).CreateLogger())
            write(logger);
        return captured;
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
