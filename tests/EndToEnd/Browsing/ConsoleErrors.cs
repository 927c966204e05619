using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// What the browser reported as broken while a visitor used the store: <c>console.error</c>
/// messages (failed resource loads and Content-Security-Policy violations included) and uncaught
/// script errors, from every tab of a context.
/// Every console message is kept as well, for the report of a failing test (<see cref="LoggedSince"/>).
/// </summary>
public sealed class ConsoleErrors
{
    private const string FailedLoad = "Failed to load resource: the server responded with a status of";

    private readonly ConcurrentQueue<Reported> errors = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> logged = new();

    private ConsoleErrors()
    {
    }

    public IReadOnlyList<string> All => [.. errors.Select(error => error.Description)];

    /// <summary>Every console message of any type (warnings included) since <paramref name="start"/>, oldest first.</summary>
    public IReadOnlyList<string> LoggedSince(DateTimeOffset start) => [.. logged.Where(m => m.At >= start).Select(m => m.Line)];

    /// <summary>
    /// Chromium logs a script, style or connection the page's Content-Security-Policy blocked as an
    /// error of its own; this line, logged from the page's <c>securitypolicyviolation</c> event, names
    /// the directive, what it blocked and where, so the report says plainly which rule a page broke.
    /// </summary>
    private const string ReportPolicyViolations = $$"""
        document.addEventListener('securitypolicyviolation', e => console.error(
          `{{ContentSecurityPolicyViolation}}: ${e.effectiveDirective} refused ${e.blockedURI || 'inline code'}` +
          ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}:${e.columnNumber}` + (e.sample ? ` (${e.sample})` : '')));
        """;

    public const string ContentSecurityPolicyViolation = "Content-Security-Policy violation";

    public static async Task<ConsoleErrors> WatchAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.AddInitScriptAsync(ReportPolicyViolations);
        var watcher = new ConsoleErrors();
        context.Console += (_, message) =>
        {
            var at = DateTimeOffset.UtcNow;
            watcher.logged.Enqueue((at, $"{at:HH:mm:ss.fff} {message.Type}: {message.Text}"));
            if (message.Type == "error" && !IsTheDocumentsOwnStatus(message))
                watcher.errors.Enqueue(new($"console.error on {message.Page?.Url ?? "(no page)"}: {message.Text} (at {message.Location})", FailedRequestPath(message)));
        };
        context.WebError += (_, error) =>
            watcher.errors.Enqueue(new($"uncaught error on {error.Page?.Url ?? "(no page)"}: {error.Error}", null));
        return watcher;
    }

    /// <summary>
    /// A page that answers with its intended error status (the 404 page) makes Chromium log the
    /// document itself as a failed load; the test checks that status, so it is no broken resource.
    /// </summary>
    private static bool IsTheDocumentsOwnStatus(IConsoleMessage message) =>
        message.Text.StartsWith(FailedLoad, StringComparison.Ordinal)
        && message.Page is { } page && message.Location == $"{page.Url}:0:0";

    /// <summary>The path of the request an error status was logged for (Chromium logs every 4xx/5xx answer), or null.</summary>
    private static string? FailedRequestPath(IConsoleMessage message) =>
        message.Text.StartsWith(FailedLoad, StringComparison.Ordinal)
        && Uri.TryCreate(message.Location.EndsWith(":0:0", StringComparison.Ordinal) ? message.Location[..^4] : message.Location, UriKind.Absolute, out var url)
            ? url.AbsolutePath
            : null;

    /// <summary>
    /// Fails the test with every error the browser reported, one per line.
    /// <paramref name="refusedOnPurpose"/> names API paths the test made answer with an error status
    /// (a wrong coupon code, say): Chromium logs those answers too, but the page handles them.
    /// </summary>
    public void AssertNone(params string[] refusedOnPurpose)
    {
        var seen = errors.Where(error => error.FailedRequestPath is null || !refusedOnPurpose.Contains(error.FailedRequestPath))
            .Select(error => error.Description).ToList();
        if (seen.Count > 0)
            Assert.Fail($"The browser reported {seen.Count} error(s); a shopper's page must not log any:\n  " + string.Join("\n  ", seen));
    }

    private sealed record Reported(string Description, string? FailedRequestPath);
}
