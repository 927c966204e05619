using Courier.WebFront.Apis;

namespace Courier.WebFront.Hosting;

/// <summary>
/// What every API request must look like before routing: a body sent as JSON (anything else is a
/// 415 saying so, where routing alone answered 404 or a bare 415), and path segments of a sane
/// length (an id of thousands of characters is a 400 saying how long ids are, not a bare 404).
/// </summary>
internal static class ApiRequestShape
{
    /// <summary>Longer than any id, slug or code Courier makes or accepts.</summary>
    public const int MaxSegmentLength = 200;

    public static IApplicationBuilder UseApiRequestShape(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        if (LongestSegment(request.Path.Value!) is { } length and > MaxSegmentLength)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "id-too-long", "A part of the address is too long.",
                $"A part of the path is {length} characters long; Courier's ids, slugs and codes are at most {MaxSegmentLength}. Check the address.");
            return;
        }
        if (HasBody(request) && !IsJson(request.ContentType))
        {
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send the body as JSON.",
                $"The body was sent as \"{request.ContentType ?? "(no Content-Type)"}\"; Courier's API reads JSON only. Send it with Content-Type: application/json.");
            return;
        }
        await next(context);
    });

    private static int? LongestSegment(string path)
    {
        var longest = 0;
        foreach (var segment in path.Split('/')) longest = Math.Max(longest, segment.Length);
        return longest;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsJson(string? contentType) =>
        contentType is not null && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static ValueTask WriteAsync(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Type = RuleViolationProblems.TypePrefix + type, Title = title, Detail = detail },
        });
    }
}
