using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Courier.TestSupport.Logging;

/// <summary>
/// A Serilog sink that keeps every event in memory. <see cref="Text"/> renders each one as compact
/// JSON with its message, every property and its exception, so a search of it finds a value
/// wherever a log event carried it.
/// </summary>
public sealed class CapturedLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public IReadOnlyList<LogEvent> Events => [.. events];

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

    public string Text()
    {
        var formatter = new RenderedCompactJsonFormatter();
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var logEvent in events) formatter.Format(logEvent, writer);
        return writer.ToString();
    }
}
