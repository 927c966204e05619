using Scalar.AspNetCore;

namespace Courier.WebFront.Hosting;

/// <summary>
/// The interactive reference of the HTTP API at /docs/api (Scalar), drawn from /openapi/v1.json.
/// Open to everyone, as the API it documents is. It loads nothing from elsewhere: the script is
/// served by the app itself, and Scalar's CDN fonts, usage telemetry and AI chat are turned off so
/// a self-hosted store makes no calls a seller did not choose.
/// </summary>
internal static class ApiReference
{
    public const string Path = "/docs/api";

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, options => options
            .WithTitle("Courier API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocument("v1")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp())
            .WithMetadata(ContentSecurityPolicy.ApiReference)
            .AllowAnonymous();
        return app;
    }
}
