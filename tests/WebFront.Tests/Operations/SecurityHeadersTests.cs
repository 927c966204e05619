using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Courier.WebFront.Tests.Demo;
using Courier.WebFront.Tests.SiteAccess;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Operations;

public sealed partial class SecurityHeadersTests(EmbeddedWebFactory factory) : IClassFixture<EmbeddedWebFactory>
{
    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/templates/aurora-saas", HttpStatusCode.OK)]
    [InlineData("/templates/no-such-template", HttpStatusCode.NotFound)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/api/products", HttpStatusCode.OK)]
    [InlineData("/api/me", HttpStatusCode.Unauthorized)]
    [InlineData("/api/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("/css/courier.css", HttpStatusCode.OK)]
    [InlineData("/js/site.js", HttpStatusCode.OK)]
    [InlineData("/media/products/aurora-saas.svg", HttpStatusCode.OK)]
    [InlineData("/dev/mail", HttpStatusCode.Redirect)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/pay/sim_no_such_session", HttpStatusCode.NotFound)]
    [InlineData("/d/not-a-signed-link", HttpStatusCode.NotFound)]
    public async Task Every_kind_of_response_carries_the_security_headers_with_the_storefront_policy(string path, HttpStatusCode status)
    {
        using var visitor = new ApiSession(factory);

        using var response = await visitor.PageResponseAsync(path);

        Assert.Equal(status, response.StatusCode);
        SecurityHeaderAssert.Present(response);
        Assert.Equal(Hosting.ContentSecurityPolicy.Storefront.Value, ContentSecurityPolicyOf(response));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is for HTTPS answers only");
    }

    [Fact]
    public async Task Storefront_policy_runs_no_inline_script_but_the_theme_bootstrap_and_no_inline_style()
    {
        using var visitor = new ApiSession(factory);
        using var response = await visitor.PageResponseAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        var policy = ContentSecurityPolicyOf(response);

        var scripts = Directive(policy, "script-src");
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.DoesNotContain("'unsafe-inline'", Directive(policy, "style-src"));
        var inline = InlineScript().Matches(html).Select(m => m.Groups["body"].Value).ToList();
        Assert.Equal([$"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Assert.Single(inline))))}'"], scripts.Where(s => s.StartsWith("'sha256-", StringComparison.Ordinal)));
        Assert.DoesNotMatch(StyleAttribute(), html);
        Assert.Equal(["'none'"], Directive(policy, "frame-ancestors"));
        Assert.Equal(["'none'"], Directive(policy, "object-src"));
        Assert.Equal(["'self'"], Directive(policy, "default-src"));
        Assert.Equal(["'self'"], Directive(policy, "base-uri"));
        Assert.Equal(["'self'"], Directive(policy, "form-action"));
        Assert.Equal(["'self'"], Directive(policy, "connect-src"));
    }

    [Theory]
    [InlineData("/dev/mail", "script-src 'self' 'sha256-")]
    [InlineData("/admin/orleans/", "script-src 'self';")]
    public async Task Admin_pages_carry_the_headers_and_the_dashboard_its_own_policy_without_inline_scripts(string path, string scriptSource)
    {
        using var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync("admin@courier.test", "courier-demo-admin")).Dispose();

        using var response = await admin.PageResponseAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SecurityHeaderAssert.Present(response);
        Assert.Contains(scriptSource, ContentSecurityPolicyOf(response), StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", ContentSecurityPolicyOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_reference_has_a_policy_of_its_own_that_still_forbids_framing_and_plugins()
    {
        using var visitor = new ApiSession(factory);

        using var response = await visitor.PageResponseAsync("/docs/api/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SecurityHeaderAssert.Present(response);
        Assert.Equal(Hosting.ContentSecurityPolicy.ApiReference.Value, ContentSecurityPolicyOf(response));
        Assert.DoesNotContain("'unsafe-eval'", ContentSecurityPolicyOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_https_from_a_client_is_not_believed_without_configured_proxies()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health/live", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static string ContentSecurityPolicyOf(HttpResponseMessage response) =>
        string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));

    internal static IReadOnlyList<string> Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries)
            .Select(directive => directive.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(parts => parts[0] == name)[1..];

    [GeneratedRegex("<script>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\sstyle=\"")]
    private static partial Regex StyleAttribute();
}

/// <summary>Behind a proxy the app is told to trust: the proxy's word on scheme and client address counts, nobody else's.</summary>
public sealed class TrustedProxyTests(TrustedProxyWebFactory factory) : IClassFixture<TrustedProxyWebFactory>
{
    [Fact]
    public async Task Https_reported_by_the_trusted_proxy_gets_strict_transport_security()
    {
        using var response = await GetAsync(from: TrustedProxyWebFactory.Proxy, ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.20"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", string.Join(", ", response.Headers.GetValues("Strict-Transport-Security")));
        SecurityHeaderAssert.Present(response);
    }

    [Fact]
    public async Task Https_claimed_by_a_client_that_is_not_a_trusted_proxy_gets_no_strict_transport_security()
    {
        using var response = await GetAsync(from: "198.51.100.4", ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.21"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        SecurityHeaderAssert.Present(response);
    }

    [Fact]
    public async Task Plain_http_through_the_trusted_proxy_gets_no_strict_transport_security()
    {
        using var response = await GetAsync(from: TrustedProxyWebFactory.Proxy, ("X-Forwarded-Proto", "http"), ("X-Forwarded-For", "203.0.113.22"));

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Sign_in_throttle_counts_each_client_behind_the_trusted_proxy_on_its_own()
    {
        using var first = await ClientBehindTheProxyAsync("203.0.113.30");
        using var second = await ClientBehindTheProxyAsync("203.0.113.31");
        for (var i = 0; i < TrustedProxyWebFactory.MaxFailures; i++)
            (await first.LoginAsync($"nobody-{Guid.NewGuid():N}@example.com", "wrong password here")).Dispose();

        using var firstAgain = await first.LoginAsync($"nobody-{Guid.NewGuid():N}@example.com", "wrong password here");
        using var secondTry = await second.LoginAsync($"nobody-{Guid.NewGuid():N}@example.com", "wrong password here");

        Assert.Equal(HttpStatusCode.TooManyRequests, firstAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, secondTry.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string from, params (string Name, string Value)[] headers)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health/live", UriKind.Relative));
        request.Headers.Add(RemoteAddressFromHeader.Header, from);
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await client.SendAsync(request);
    }

    private async Task<ApiSession> ClientBehindTheProxyAsync(string clientAddress)
    {
        var session = new ApiSession(factory);
        session.Client.DefaultRequestHeaders.Add(RemoteAddressFromHeader.Header, TrustedProxyWebFactory.Proxy);
        session.Client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return await session.OpenAsync();
    }
}

/// <summary>The app behind one trusted proxy, whose test requests can say which address they come from.</summary>
public sealed class TrustedProxyWebFactory : CourierWebFactory
{
    public const string Proxy = "10.0.0.7";
    public const int MaxFailures = 3;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Courier:Proxies:KnownProxies:0"] = Proxy,
        ["Courier:SignInThrottle:MaxFailures"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }
}

public sealed class ProxyConfigurationTests
{
    [Fact]
    public async Task A_proxy_entry_that_is_no_ip_address_stops_start_up_naming_it()
    {
        var factory = new MisconfiguredProxyWebFactory();
        await factory.InitializeAsync();
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

            Assert.Contains("Courier:Proxies:KnownProxies holds 'proxy.internal'", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    private sealed class MisconfiguredProxyWebFactory : CourierWebFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Courier:Proxies:KnownProxies:0"] = "proxy.internal",
        };
    }
}

/// <summary>A hosted site is any static site, so its files get a looser policy; it still may not be framed or sniffed.</summary>
public sealed class HostedSiteSecurityHeadersTests(SiteAccessWebFactory factory) : IClassFixture<SiteAccessWebFactory>
{
    [Fact]
    public async Task Hosted_site_files_get_the_hosted_site_policy_and_its_sign_in_page_the_storefront_one()
    {
        var (customer, deliveryId, email) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var credentials = await customer.CredentialsAsync(deliveryId);
        using var browser = new SiteBrowser(factory.Address);
        using var signInPage = await browser.GetAsync(credentials.LoginUrl + "sign-in");
        (await browser.SignInAsync(credentials.LoginUrl, credentials.Username, credentials.Password)).Dispose();

        using var page = await browser.GetAsync(credentials.LoginUrl);
        using var styles = await browser.GetAsync(credentials.LoginUrl + "styles.css");

        Assert.Equal(HttpStatusCode.OK, signInPage.StatusCode);
        SecurityHeaderAssert.Present(signInPage);
        Assert.Equal(Hosting.ContentSecurityPolicy.Storefront.Value, SecurityHeadersTests.ContentSecurityPolicyOf(signInPage));
        foreach (var file in new[] { page, styles })
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            SecurityHeaderAssert.Present(file);
            var policy = SecurityHeadersTests.ContentSecurityPolicyOf(file);
            Assert.Equal(Hosting.ContentSecurityPolicy.HostedSite.Value, policy);
            Assert.Equal(["'none'"], SecurityHeadersTests.Directive(policy, "frame-ancestors"));
            Assert.Equal(["'none'"], SecurityHeadersTests.Directive(policy, "object-src"));
        }
    }
}

internal static class SecurityHeaderAssert
{
    /// <summary>The headers every answer carries, whatever its Content-Security-Policy.</summary>
    public static void Present(HttpResponseMessage response)
    {
        var path = response.RequestMessage?.RequestUri?.PathAndQuery;
        Assert.True(response.Headers.Contains("Content-Security-Policy"), $"{path} has a Content-Security-Policy");
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("same-origin", Single(response, "Cross-Origin-Opener-Policy"));
        var permissions = Single(response, "Permissions-Policy");
        foreach (var feature in new[] { "camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()" })
            Assert.Contains(feature, permissions, StringComparison.Ordinal);
    }

    private static string Single(HttpResponseMessage response, string header)
    {
        Assert.True(response.Headers.TryGetValues(header, out var values), $"{response.RequestMessage?.RequestUri?.PathAndQuery} has {header}");
        return Assert.Single(values);
    }
}
