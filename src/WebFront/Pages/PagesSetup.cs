using Courier.WebFront.Pages.Shared;
using Microsoft.Net.Http.Headers;

namespace Courier.WebFront.Pages;

/// <summary>
/// The storefront's server-rendered pages (Razor Components, static rendering), their static
/// files, and the friendly 404 / 500 pages for browsers (API callers keep getting problem details).
/// Unknown page paths reach the 404 page through its catch-all route, which leaves out the
/// API's and the other non-page prefixes.
/// </summary>
internal static class PagesSetup
{
    private static readonly string[] NonPagePrefixes = ["/api", "/hubs", "/health", "/openapi", "/webhooks", "/d", "/pay", "/dev", "/media", "/js", "/css", "/fonts"];

    public static IServiceCollection AddCourierPages(this IServiceCollection services)
    {
        // Pages are UTF-8: write "—" and "€" as themselves, not as character references.
        services.AddWebEncoders(options => options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddSingleton<AssetVersions>();
        services.AddScoped<ShopperCart>();
        services.AddSingleton<FirstVisitPageCache>();
        services.AddScoped<Account.CustomerOrders>();
        return services;
    }

    /// <summary>Static files (versioned URLs cached for a year), then friendly error pages for page requests.</summary>
    public static WebApplication UseCourierPages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                if (context.Context.Request.Query.ContainsKey(AssetVersions.VersionParameter))
                    context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=31536000, immutable";
                else if (context.Context.Request.Path.StartsWithSegments("/media") || context.Context.Request.Path.StartsWithSegments("/fonts"))
                    context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=86400";
            },
        });
        // A fresh DI scope for the error page: the failed render's scoped renderer cannot render again.
        app.UseWhen(IsPageRequest, page => page.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = RenderErrorPageAsync, CreateScopeForErrors = true }));
        return app;
    }

    public static IEndpointRouteBuilder MapCourierPages(this IEndpointRouteBuilder app)
    {
        app.MapRazorComponents<App>();
        return app;
    }

    /// <summary>
    /// Runs the /error page's endpoint in place. (Re-executing the path would find no endpoint:
    /// a UseWhen branch does not route again.)
    /// </summary>
    private static Task RenderErrorPageAsync(HttpContext context)
    {
        var endpoint = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>().First(e => e.RoutePattern.RawText == "/error");
        context.SetEndpoint(endpoint);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return endpoint.RequestDelegate!(context);
    }

    /// <summary>A browser asking for a page (not the API, the hub, a download or a static file).</summary>
    internal static bool IsPageRequest(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        foreach (var prefix in NonPagePrefixes)
            if (request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        return request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
    }
}
