using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: a request relayed by a configured proxy (<see cref="ProxyOptions"/>)
/// takes its client address from <c>X-Forwarded-For</c> and its scheme from <c>X-Forwarded-Proto</c>,
/// so the sign-in throttle counts the real client, links and cookies know the request was HTTPS, and
/// HSTS is sent. Anyone else's forwarded headers are ignored.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddCourierTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptions.Validation>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; Courier trusts only what is configured.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxies.Value.ProxyAddresses()) forwarded.KnownProxies.Add(address);
            foreach (var network in proxies.Value.ProxyNetworks()) forwarded.KnownIPNetworks.Add(network);
        });
        return services;
    }

    /// <summary>Only with a proxy configured: the middleware believes every sender when its lists are empty.</summary>
    public static IApplicationBuilder UseCourierTrustedProxies(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.TrustsAnyProxy) app.UseForwardedHeaders();
        return app;
    }
}
