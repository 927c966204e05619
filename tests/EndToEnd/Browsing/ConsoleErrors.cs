using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// What the browser reported as broken while a visitor used the store: <c>console.error</c>
/// messages (failed resource loads included) and uncaught script errors, from every tab of a context.
/// </summary>
public sealed class ConsoleErrors
{
    private readonly ConcurrentQueue<string> errors = new();

    private ConsoleErrors()
    {
    }

    public IReadOnlyList<string> All => [.. errors];

    public static ConsoleErrors Watch(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var watcher = new ConsoleErrors();
        context.Console += (_, message) =>
        {
            if (message.Type == "error")
                watcher.errors.Enqueue($"console.error on {message.Page?.Url ?? "(no page)"}: {message.Text} (at {message.Location})");
        };
        context.WebError += (_, error) =>
            watcher.errors.Enqueue($"uncaught error on {error.Page?.Url ?? "(no page)"}: {error.Error}");
        return watcher;
    }

    /// <summary>Fails the test with every error the browser reported, one per line.</summary>
    public void AssertNone()
    {
        var seen = All;
        if (seen.Count > 0)
            Assert.Fail($"The browser reported {seen.Count} error(s); a shopper's page must not log any:\n  " + string.Join("\n  ", seen));
    }
}
