using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.TestSupport;
using Courier.TestSupport.Logging;
using Courier.TestSupport.Stripe;
using Courier.WebFront.Tests.Commerce;
using Courier.WebFront.Tests.SiteAccess;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Stripe;

namespace Courier.WebFront.Tests.Operations;

/// <summary>
/// The store as <c>./courier run</c> starts it, paid through Stripe (a local stand-in), logging
/// everything down to Verbose, Microsoft's, Npgsql's and Orleans' categories included, into an
/// in-memory Serilog sink and into a logger provider added the way tests add theirs.
/// </summary>
public sealed class VerboseLogWebFactory : SiteAccessWebFactory
{
    public const string WebhookSecret = "whsec_never_in_the_log_5d1c0e";
    private readonly Lazy<FakeStripeApi> stripe = new(() => FakeStripeApi.StartAsync().GetAwaiter().GetResult());

    public FakeStripeApi Stripe => stripe.Value;

    public CapturedLog Log { get; } = new();

    public RecordingLoggerProvider Provider { get; } = new();

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Payments:Provider"] = "Stripe",
        ["Stripe:ApiBase"] = Stripe.BaseAddress.ToString(),
        ["Stripe:SecretKey"] = FakeStripeApi.SecretKey,
        ["Stripe:WebhookSecret"] = WebhookSecret,
        ["Serilog:MinimumLevel:Default"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Npgsql"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Orleans"] = "Verbose",
        ["Serilog:MinimumLevel:Override:System"] = "Verbose",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Log));
        builder.ConfigureLogging(logging => logging.AddProvider(Provider));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (stripe.IsValueCreated) await stripe.Value.DisposeAsync();
    }
}

public sealed class LogTests(VerboseLogWebFactory factory) : IClassFixture<VerboseLogWebFactory>
{
    [Fact]
    public async Task Sign_in_Stripe_payment_and_site_credentials_leave_no_password_key_or_secret_in_a_verbose_log()
    {
        var email = $"log-{Guid.NewGuid():N}@example.com";
        var password = $"pw-never-logged-{Guid.NewGuid():N}";
        var wrongPassword = $"pw-wrong-never-logged-{Guid.NewGuid():N}";
        using var customer = await new ApiSession(factory, factory.Address).OpenAsync();
        (await customer.RegisterAsync(email, password)).EnsureSuccessStatusCode();
        using var refused = await customer.LoginAsync(email, wrongPassword);
        using var signedIn = await customer.LoginAsync(email, password);
        await customer.AddToCartAsync(HostedSiteDriver.HostedProduct);
        var (orderId, redirect) = await customer.CheckoutAsync(email);
        factory.Stripe.PayCheckoutSession(redirect[(redirect.LastIndexOf('/') + 1)..]);
        using var webhook = await PostWebhookAsync(await LatestEventAsync("checkout.session.completed"));
        var deliveryId = $"{orderId}:1";
        await customer.WaitUntilReadyAsync(deliveryId);
        var site = await customer.CredentialsAsync(deliveryId);
        using var browser = new SiteBrowser(factory.Address);
        using var siteSignIn = await browser.SignInAsync(site.LoginUrl, site.Username, site.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains(factory.Stripe.Requests, r => r.Path == "/v1/checkout/sessions" && r.Header("Authorization") == $"Bearer {FakeStripeApi.SecretKey}");
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, siteSignIn.StatusCode);
        var log = factory.Log.Text();
        Assert.Contains("\"@l\":\"Verbose\"", log, StringComparison.Ordinal); // the log really is verbose
        Assert.Contains($"GET /api/deliveries/{deliveryId}/credentials responded 200", log, StringComparison.Ordinal);
        Assert.Contains("POST /webhooks/stripe responded 200", log, StringComparison.Ordinal);
        foreach (var (what, secret) in new[]
        {
            ("the account password", password), ("a wrong password", wrongPassword), ("the site password", site.Password),
            ("the Stripe secret key", FakeStripeApi.SecretKey), ("the webhook secret", VerboseLogWebFactory.WebhookSecret),
        })
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"{what} is in the log");
    }

    [Fact]
    public async Task Each_request_is_one_line_with_method_path_status_elapsed_and_trace_id_but_no_query()
    {
        using var client = factory.CreateClient();
        using var products = await client.GetAsync(new Uri("/api/products?search=query-never-logged", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, products.StatusCode);
        var line = Assert.Single(RequestLines(), l => l.Contains("GET /api/products ", StringComparison.Ordinal));
        Assert.Matches(@"^HTTP GET /api/products responded 200 in \d+\.\d ms, trace [0-9a-f]{32}$", line);
        Assert.DoesNotContain(RequestLines(), l => l.Contains("query-never-logged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_download_link_is_logged_as_its_route_pattern_never_with_its_token()
    {
        const string token = "dG9rZW4tbmV2ZXItbG9nZ2Vk.c2lnbmF0dXJlLW5ldmVyLWxvZ2dlZA";
        using var client = factory.CreateClient();
        using var download = await client.GetAsync(new Uri($"/d/{token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Contains(RequestLines(), l => l.StartsWith("HTTP GET /d/{token} responded 404", StringComparison.Ordinal));
        Assert.DoesNotContain(RequestLines(), l => l.Contains(token[..20], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_logger_provider_added_by_the_host_receives_the_apps_events_and_request_lines()
    {
        using var client = factory.CreateClient();
        using var health = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await Eventually.TrueAsync(() => factory.Provider.Lines.Any(l => l.Contains("GET /health/live responded 200", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5), "the provider gets the request line");
        Assert.Contains(factory.Provider.Lines, l => l.StartsWith("Courier.", StringComparison.Ordinal));
    }

    private IEnumerable<string> RequestLines() =>
        factory.Log.Events.Where(e => e.MessageTemplate.Text == Courier.WebFront.Hosting.RequestLogging.MessageTemplate)
            .Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));

    private async Task<string> LatestEventAsync(string type)
    {
        using var http = new HttpClient { BaseAddress = factory.Stripe.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FakeStripeApi.SecretKey);
        var list = JsonDocument.Parse(await http.GetStringAsync(new Uri($"v1/events?type={type}", UriKind.Relative))).RootElement;
        return list.GetProperty("data")[0].GetRawText();
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string body)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/stripe", UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature",
            EventUtility.GenerateSignatureHeader(body, VerboseLogWebFactory.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return await client.SendAsync(request);
    }
}

/// <summary>An ordinary Microsoft.Extensions.Logging provider, as tests plug into the host.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Category(RecordingLoggerProvider provider, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.lines.Enqueue($"{name}: {formatter(state, exception)}");
    }
}
