using System.Net;
using System.Text.Json;
using Courier.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace Courier.WebFront.Tests.Operations;

/// <summary>
/// While the database is out of reach (a restart, a failover: here every connection is cut and new
/// ones refused), requests that need it answer 503 with Retry-After and a problem that says Courier
/// is reconnecting — not a 500 — and /health/ready says why; once it is back, everything answers again.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.Factory factory) : IClassFixture<DatabaseOutageTests.Factory>
{
    public sealed class Factory : CourierWebFactory
    {
        public TcpGate Gate { get; private set; } = null!;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            (Gate, var gated) = TcpGate.InFrontOf(Database.ConnectionString);
            builder.UseSetting("ConnectionStrings:Courier", gated);
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (Gate is not null) await Gate.DisposeAsync();
        }
    }

    [Fact]
    public async Task Requests_during_an_outage_are_503_with_Retry_After_and_ready_says_why_then_all_recovers()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();
        using (var before = await shopper.GetAsync("/api/products")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        factory.Gate.Shut();
        try
        {
            using var products = await shopper.GetAsync("/api/products");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, products.StatusCode);
            Assert.NotNull(products.Headers.RetryAfter?.Delta);
            var problem = await Problem.ReadAsync(products);
            Assert.Equal("https://courier.dev/problems/database-unavailable", problem.Type);
            Assert.Contains("reconnecting", problem.Title, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", problem.Detail, StringComparison.Ordinal);

            using var order = await shopper.GetAsync("/api/orders/ord_0123456789abcdef");
            Assert.True(order.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.NotFound, $"GET an order during the outage: {(int)order.StatusCode}");

            using var ready = await shopper.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var description = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement
                .GetProperty("checks").GetProperty("silo").GetProperty("description").GetString();
            Assert.Contains("database is not reachable", description, StringComparison.Ordinal);
        }
        finally
        {
            factory.Gate.Open();
        }

        await Eventually.TrueAsync(async () =>
        {
            using var products = await shopper.GetAsync("/api/products");
            using var ready = await shopper.GetAsync("/health/ready");
            return products.StatusCode == HttpStatusCode.OK && ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the catalog and readiness answer again once the database is back");
    }
}
