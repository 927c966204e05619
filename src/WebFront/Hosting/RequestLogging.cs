using System.Diagnostics;
using Courier.Silo.Deliveries;
using Serilog;
using Serilog.Events;

namespace Courier.WebFront.Hosting;

/// <summary>
/// One log line per request: method, path, status, elapsed milliseconds and trace id. Never the
/// query string or a body, and never a path segment that works as a bearer secret (a download
/// link's token): such a path is logged as its route pattern, <c>/d/{token}</c>.
/// </summary>
internal static class RequestLogging
{
    public const string MessageTemplate = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0} ms, trace {TraceId:l}";

    // Route parameters whose values grant access to whoever holds them.
    private static readonly HashSet<string> SecretRouteValues = new(StringComparer.OrdinalIgnoreCase) { "token" };

    public static WebApplication UseCourierRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.IncludeQueryInRequestPath = false;
            options.MessageTemplate = MessageTemplate;
            options.GetMessageTemplateProperties = (http, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(http.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(LoggedPath(http))),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
                new LogEventProperty("TraceId", new ScalarValue(Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier)),
            ];
        });
        return app;
    }

    /// <summary>The request's path as it may be logged: without its query, and with secret route values left as their pattern.</summary>
    public static string LoggedPath(HttpContext http)
    {
        if (http.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern }
            && pattern.Parameters.Any(p => SecretRouteValues.Contains(p.Name)))
            return pattern.RawText is { } raw && raw.StartsWith('/') ? raw : "/" + pattern.RawText;
        var path = http.Request.PathBase.Add(http.Request.Path).Value;
        // A download path that matched no endpoint still carries what may be a token.
        if (path is not null && path.StartsWith(SignedDownloadLink.PathPrefix, StringComparison.OrdinalIgnoreCase))
            return SignedDownloadLink.PathPrefix + "{token}";
        return string.IsNullOrEmpty(path) ? "/" : path;
    }
}
