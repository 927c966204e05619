using System.Globalization;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;
using Courier.Silo.Deliveries;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Courier.WebFront.Apis;

/// <summary>
/// <c>GET /d/{token}</c>: the download itself. The token's signature and expiry are checked
/// first; then the delivery decides (current link? revoked? downloads left?) and logs the request;
/// then the product's file streams from the file store, with range support. Nothing from the
/// request names a file: the file comes from the product record.
/// </summary>
internal static class DownloadsApi
{
    private const int MaxUserAgentLength = 512;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new()
    {
        Mappings = { [".zip"] = "application/zip" }, // the registered type; the framework's table has Windows' x-zip-compressed
    };

    public static IEndpointRouteBuilder MapDownloadsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignedDownloadLink.PathPrefix + "{token}", DownloadAsync).WithTags("Deliveries").AllowAnonymous()
            .WithSummary("Downloads a purchased file through a signed, expiring link. Range requests resume a download; " +
                         "a request from byte 0 uses one of the purchase's downloads, a resume through the same link from the same address does not.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> DownloadAsync(
        string token, HttpContext http, DownloadLinks links, IGrainFactory grains, IFileStore files, TimeProvider clock, CancellationToken cancellationToken)
    {
        var link = await links.ReadAsync(token, cancellationToken);
        if (link is null) return Invalid();
        if (link.IsExpired(clock.GetUtcNow())) return Expired(link.ExpiresAt);

        var delivery = grains.GetGrain<IDeliveryGrain>(link.DeliveryId);
        var view = await delivery.GetAsync();
        if (view is null || view.Kind != DeliveryKind.Download) return Invalid();
        var product = await grains.GetGrain<IProductGrain>(view.ProductId).GetAsync();
        var file = product?.DownloadFile is { Length: > 0 } name ? await files.OpenAsync(name, cancellationToken) : null;
        if (file is null) return Unavailable();

        var keepOpen = false;
        try
        {
            var rangeStart = RangeStart(http.Request, file.Length);
            if (rangeStart >= file.Length && file.Length > 0)
            {
                http.Response.Headers.ContentRange = $"bytes */{file.Length}";
                return Problem(416, "range-not-satisfiable", "The requested range is outside the file.",
                    $"The file has {file.Length} bytes; ask for a range that starts before byte {file.Length}.");
            }
            var decision = await delivery.StartDownloadAsync(new DownloadAttempt(link.LinkId, ClientAddress(http), UserAgent(http), rangeStart));
            if (!decision.Allowed) return Refused(decision, view, link.ExpiresAt);

            keepOpen = true;
            var downloadName = product!.Slug + Path.GetExtension(file.FileName);
            return TypedResults.File(file.Content, ContentTypes.TryGetContentType(file.FileName, out var type) ? type : "application/octet-stream",
                downloadName, file.LastModified, new EntityTagHeaderValue($"\"{file.Length:x}-{file.LastModified.UtcTicks:x}\""), enableRangeProcessing: true);
        }
        finally
        {
            if (!keepOpen) await file.Content.DisposeAsync();
        }
    }

    /// <summary>The first byte a request asks for: 0 without a (single, byte) range.</summary>
    private static long RangeStart(HttpRequest request, long length)
    {
        var range = request.GetTypedHeaders().Range;
        if (range is null || !range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1) return 0;
        var only = range.Ranges.First();
        return only.From ?? Math.Max(0, length - (only.To ?? 0));
    }

    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string? UserAgent(HttpContext http) =>
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, MaxUserAgentLength)] : null;

    private static IResult Refused(DownloadDecision decision, DeliveryView view, DateTimeOffset expiresAt) => decision.Outcome switch
    {
        DownloadOutcome.LinkExpired => Expired(expiresAt),
        DownloadOutcome.LinkReplaced => Problem(410, "download-link-replaced", "This download link was replaced.",
            "A newer download link replaced this one. Use the link in your latest e-mail, or make a new one from Orders → Downloads."),
        DownloadOutcome.Revoked => Problem(410, "download-revoked", "This purchase can no longer be downloaded.", view.HealthExplanation),
        DownloadOutcome.LimitReached => Problem(403, "download-limit-reached", "No downloads left.",
            $"You have used all {decision.Limit} downloads of this purchase. If you need another one, write to us from your order page and we will add more."),
        _ => Problem(409, "download-not-ready", "This download is not ready.", view.HealthExplanation + " " + view.NextStep),
    };

    /// <summary>The same answer for a malformed token, a wrong signature and an unknown delivery: nothing about which.</summary>
    private static IResult Invalid() => Problem(404, "download-link-invalid", "Not found.",
        "This download link is not valid. Open your order page (Orders → Downloads) to get a working one.");

    private static IResult Expired(DateTimeOffset expiredAt) => TypedResults.Problem(statusCode: 410,
        type: RuleViolationProblems.TypePrefix + "download-link-expired", title: "This download link has expired.",
        detail: $"Download link expired on {expiredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}. " +
                "Generate a new one from Orders → Downloads; your purchase is still yours.",
        extensions: new Dictionary<string, object?> { ["expiredAt"] = expiredAt });

    private static IResult Unavailable() => Problem(503, "download-file-unavailable", "The file is not available right now.",
        "The file could not be read from the store; nothing was counted. Try again in a few minutes.");

    private static IResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(statusCode: status, type: RuleViolationProblems.TypePrefix + type, title: title, detail: detail);
}
