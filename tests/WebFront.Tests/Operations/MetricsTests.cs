using System.Globalization;
using System.Net;
using System.Text;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.TestSupport;
using Courier.WebFront.Tests.Commerce;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Operations;

/// <remarks>
/// Meters are process-wide, and other test classes run their own hosts beside this one, so their
/// counts can show up here too: each test compares the counts before and after what it does.
/// </remarks>
// Meters are process-wide: a metrics provider also listens to the "Courier" meters of other test
// hosts alive at the same time, and one that stops mid-test completes the stream this host's
// instruments were merged into. Alone, after the parallel classes, the host sees only its own.
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(MetricsWebFactory factory) : IClassFixture<MetricsWebFactory>
{
    private const string RemoteAddress = "203.0.113.7";

    [Fact]
    public async Task A_paid_purchase_moves_the_orders_paid_counter_and_records_its_delivery_time()
    {
        await factory.SeedProductAsync("prod_metrics_key", 1900, kind: DeliveryKind.LicenseKey);
        await factory.Grains().GetGrain<ILicenseKeyPoolGrain>("prod_metrics_key").AddKeysAsync(["METR-AAAA-BBBB-0001"]);
        var before = await ScrapeAsync();
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_metrics_key");
        var (orderId, redirect) = await shopper.CheckoutAsync("metrics.buyer@example.com");

        using var paid = await shopper.PayAsync(redirect, "4242 4242 4242 4242");

        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        var after = before;
        await Eventually.TrueAsync(async () =>
        {
            after = await ScrapeAsync();
            return after.Sum("courier_deliveries_time_to_ready_seconds_count", "kind", "LicenseKey")
                > before.Sum("courier_deliveries_time_to_ready_seconds_count", "kind", "LicenseKey");
        }, TimeSpan.FromSeconds(20), $"order {orderId}'s delivery time is recorded once it is ready");
        Assert.True(after.Sum("courier_orders_placed_total") > before.Sum("courier_orders_placed_total"), "the order counts as placed");
        Assert.True(after.Sum("courier_orders_paid_total") > before.Sum("courier_orders_paid_total"), "the order counts as paid");
        Assert.True(after.Sum("courier_deliveries_transitions_total", "status", "Ready") > before.Sum("courier_deliveries_transitions_total", "status", "Ready"),
            "the delivery's step to Ready is counted");
        Assert.True(after.Sum("courier_deliveries_time_to_ready_seconds_sum") > before.Sum("courier_deliveries_time_to_ready_seconds_sum"),
            "a ready delivery took some time after the payment");
    }

    [Fact]
    public async Task A_webhook_with_a_bad_signature_is_counted_as_rejected_with_its_reason()
    {
        var before = await ScrapeAsync();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/stripe", UriKind.Relative))
        {
            Content = new StringContent("""{"id":"evt_metrics_forged","object":"event"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Stripe-Signature", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1=0000");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Eventually.TrueAsync(async () => (await ScrapeAsync()).Sum("courier_webhooks_rejected_total", "reason", "bad-signature")
            > before.Sum("courier_webhooks_rejected_total", "reason", "bad-signature"), TimeSpan.FromSeconds(10), "the rejection is counted");
    }

    [Fact]
    public async Task The_outbox_backlog_and_the_runtime_and_database_meters_are_scraped()
    {
        using (var client = factory.CreateClient())
            (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).Dispose();
        string[] expected = ["courier_outbox_pending", "courier_outbox_dead", "http_server_request_duration_seconds", "db_client_operation_duration_seconds", "dotnet_gc_collections_total"];

        var names = (await ScrapeAsync()).Names().ToHashSet();
        // A scrape answers without the backlog while the database takes over a second to count it: the next one has it.
        for (var tries = 0; !expected.All(names.Contains) && tries < 50; tries++)
        {
            await Task.Delay(300);
            names = (await ScrapeAsync()).Names().ToHashSet();
        }

        Assert.Superset(expected.ToHashSet(), names);
    }

    [Fact]
    public async Task A_remote_caller_without_the_token_is_refused_with_a_problem()
    {
        using var client = factory.CreateClient();

        using var anonymous = await client.SendAsync(Scrape(from: RemoteAddress));
        using var wrongToken = await client.SendAsync(Scrape(from: RemoteAddress, token: "not-the-operator-token-but-just-as-long"));

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        var problem = await Problem.ReadAsync(anonymous);
        Assert.EndsWith("/metrics-forbidden", problem.Type, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("courier_", problem.Raw, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
    }

    [Fact]
    public async Task A_remote_caller_with_the_operator_token_is_served()
    {
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Scrape(from: RemoteAddress, token: MetricsWebFactory.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_relayed_by_a_proxy_on_this_machine_is_not_taken_for_a_local_one()
    {
        using var client = factory.CreateClient();
        using var relayed = Scrape(from: "127.0.0.1");
        relayed.Headers.Add("X-Forwarded-For", RemoteAddress);

        using var response = await client.SendAsync(relayed);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static HttpRequestMessage Scrape(string? from = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        if (from is not null) request.Headers.Add(MetricsWebFactory.RemoteAddressHeader, from);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A scrape from this machine: the test server's requests have no remote address, as a local socket's would not.</summary>
    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(Scrape());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /metrics from this machine answered {(int)response.StatusCode}: {text}");
        return new PrometheusScrape(text);
    }
}

/// <summary>The app with an operator token, whose test requests can say which address they come from.</summary>
public sealed class MetricsWebFactory : CourierWebFactory
{
    public const string Token = "operator-scrape-token-0123456789abcdef";
    public const string RemoteAddressHeader = RemoteAddressFromHeader.Header;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Courier:Metrics:Token"] = Token };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }
}

/// <summary>The samples of a Prometheus text exposition, as the tests read them.</summary>
internal sealed record PrometheusScrape(string Text)
{
    /// <summary>The sum of a metric's samples, optionally only those whose label has the value; 0 when there are none.</summary>
    public double Sum(string metric, string? label = null, string? value = null) =>
        Samples(metric).Where(s => label is null || s.Labels.Contains($"{label}=\"{value}\"", StringComparison.Ordinal)).Sum(s => s.Value);

    public bool Has(string metric) => Samples(metric).Any();

    public IEnumerable<string> Names() => Text.Split('\n')
        .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
        .Select(l => l.Split(' ')[2]);

    private IEnumerable<(string Labels, double Value)> Samples(string metric)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal)) continue;
            var rest = line[metric.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' ')) continue;
            var labels = rest[0] == '{' ? rest[..(rest.IndexOf('}', StringComparison.Ordinal) + 1)] : "";
            var fields = rest[labels.Length..].Trim().Split(' ');
            yield return (labels, double.Parse(fields[0], CultureInfo.InvariantCulture));
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone";
}
