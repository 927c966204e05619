using Courier.WebFront.Pages.Shared;
using Microsoft.Net.Http.Headers;

namespace Courier.WebFront.Pages;

/// <summary>
/// The storefront's server-rendered pages (Razor Components, static rendering), their static
/// files, and the friendly 404 / 500 pages for browsers (API callers keep getting problem details).
/// </summary>
internal static class PagesSetup
{
    private static readonly string[] NonPagePrefixes = ["/api", "/hubs", "/health", "/openapi", "/webhooks", "/d", "/pay", "/dev", "/media", "/js", "/css", "/fonts"];

    public static IServiceCollection AddCourierPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddSingleton<AssetVersions>();
        services.AddScoped<ShopperCart>();
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
        app.UseWhen(IsPageRequest, page =>
        {
            page.UseExceptionHandler("/error");
            page.UseStatusCodePagesWithReExecute("/not-found");
        });
        return app;
    }

    public static IEndpointRouteBuilder MapCourierPages(this IEndpointRouteBuilder app)
    {
        app.MapRazorComponents<App>();
        return app;
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
