using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Courier.WebFront.Hosting;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Apis;

/// <summary>
/// The Prometheus scrape endpoint, <c>GET /metrics</c> (OpenTelemetry's exporter; see
/// <see cref="CourierTelemetry"/>). It answers callers on this machine, and anyone who sends
/// <c>Authorization: Bearer</c> with the token of Courier:Metrics:Token; everyone else gets a 403
/// problem saying how to get in — the path is the well-known one, so hiding it behind a 404 would
/// only confuse the operator setting up a scraper. Not in the OpenAPI description: it is for
/// scrapers, not API clients, and its format is Prometheus', not JSON.
/// </summary>
internal static class MetricsApi
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null!, configureBranchedPipeline: scrape => scrape.Use(RefuseOthersAsync), optionsName: null!)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    private static async Task RefuseOthersAsync(HttpContext context, RequestDelegate next)
    {
        var token = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Token;
        if (IsFromThisMachine(context) || HasToken(context.Request, token))
        {
            await next(context);
            return;
        }
        var how = string.IsNullOrEmpty(token)
            ? "No token is configured, so only callers on this machine are served: set Courier__Metrics__Token and send it as Authorization: Bearer <token>."
            : "Send the token configured in Courier__Metrics__Token as Authorization: Bearer <token>.";
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, type: RuleViolationProblems.TypePrefix + "metrics-forbidden",
            title: "Metrics are for the store's operators.", detail: $"GET {Path} answers callers on this machine without a token. {how}").ExecuteAsync(context);
    }

    /// <remarks>
    /// No remote address means no network peer: the in-process test server, or a Unix socket only
    /// local users can open. A request relayed by a proxy (X-Forwarded-For, Forwarded) is never
    /// local, even when the proxy itself runs on this machine — else it would open the endpoint to
    /// whoever the proxy serves.
    /// </remarks>
    internal static bool IsFromThisMachine(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded")) return false;
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null) return true;
        return IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }

    private static bool HasToken(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token)
            || !AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is not { Length: > 0 } sent)
            return false;
        // Hashes first: equal lengths, so the comparison takes the same time whatever was sent.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
