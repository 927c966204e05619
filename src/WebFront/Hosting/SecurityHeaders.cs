namespace Courier.WebFront.Hosting;

/// <summary>
/// The headers every response carries, whoever answers it: pages, the API, static files, downloads,
/// redirects, error pages and problem details. They are written as the response starts, so an
/// answer the exception handler or the status-code pages rewrote gets them too, and the
/// Content-Security-Policy follows the endpoint that answered (<see cref="ContentSecurityPolicy"/>).
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>Browser features no Courier page uses; a page (or a script on it) cannot ask for them.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), " +
        "microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>A year, subdomains included; sent only over HTTPS, where a browser heeds it.</summary>
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public static IApplicationBuilder UseCourierSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(WriteAsync, context);
            return next(context);
        });

    private static Task WriteAsync(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<ContentSecurityPolicy>() ?? ContentSecurityPolicy.Storefront;
        headers.ContentSecurityPolicy = policy.Value;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY"; // frame-ancestors 'none' for browsers that predate it
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (context.Request.IsHttps) headers.StrictTransportSecurity = StrictTransportSecurity;
        return Task.CompletedTask;
    }
}
