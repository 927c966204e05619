using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// The store's recent log lines (Courier's own from Information up, everything else from Warning
/// up), kept in memory so a failing browser test can say what the server was doing meanwhile.
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private const int Kept = 400;
    private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> lines = new();

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    /// <summary>The lines logged since <paramref name="start"/>, oldest first.</summary>
    public IReadOnlyList<string> Since(DateTimeOffset start) => [.. lines.Where(l => l.At >= start).Select(l => l.Line)];

    private void Add(DateTimeOffset at, string line)
    {
        lines.Enqueue((at, line));
        while (lines.Count > Kept) lines.TryDequeue(out _);
    }

    public void Dispose()
    {
    }

    private sealed class Category(ServerLog log, string name) : ILogger
    {
        private readonly LogLevel minimum = name.StartsWith("Courier.", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var at = DateTimeOffset.UtcNow;
            var error = exception is null ? "" : $" — {exception.GetType().Name}: {exception.Message}";
            log.Add(at, $"{at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {logLevel} {name}: {formatter(state, exception)}{error}");
        }
    }
}
