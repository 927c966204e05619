using System.Collections.Concurrent;
using System.Diagnostics;
using Courier.Bench.Harness;

namespace Courier.Bench.Checkout;

/// <summary>
/// The "checkout" bench: 100 concurrent shoppers buy through the real web front (a separate
/// process) — cart, checkout, then the provider's signed webhook, order paid — and the figures are
/// paid orders per second and the latency of POST /api/checkout.
/// </summary>
internal static class CheckoutBench
{
    private const int Shoppers = 100;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync()
    {
        if (BenchDatabase.AdminConnectionString is not { } admin)
        {
            Console.Error.WriteLine($"{BenchDatabase.Variable} is not set. Run the bench with ./courier bench checkout.");
            return 2;
        }
        var report = new Report();
        await using var database = await BenchDatabase.CreateAsync(admin);
        await MachineFacts.PrintAsync(database.ConnectionString);
        var files = await BenchCatalog.CreateFileStoreAsync();
        await using var web = await WebNode.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Courier__Files__Root"] = files.FullName,
            ["Stripe__WebhookSecret"] = PaymentWebhooks.Secret,
        });
        await BenchCatalog.SeedAsync(database.ConnectionString);

        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = Shoppers * 2 };
        using var http = new HttpClient(handler) { BaseAddress = web.Address, Timeout = TimeSpan.FromSeconds(30) };

        Report.Section($"Checkout through the web front ({Shoppers} concurrent shoppers, simulated payments)");
        var warmupOrders = new ConcurrentBag<string>();
        await DriveAsync(http, Warmup, visitorBase: 1_000_000, orders: warmupOrders);
        var settleBy = DateTime.UtcNow.AddSeconds(60);
        while (await database.ScalarAsync<long>("SELECT count(*) FROM orders WHERE status = 'Fulfilling'") < warmupOrders.Count && DateTime.UtcNow < settleBy)
            await Task.Delay(100);
        var ordersBefore = await database.ScalarAsync<long>("SELECT count(*) FROM orders WHERE status = 'Fulfilling'");
        var latencies = new ConcurrentBag<double>();
        var orders = new ConcurrentBag<string>();
        var started = Stopwatch.GetTimestamp();
        var errors = await DriveAsync(http, Measured, visitorBase: 0, latencies, orders);
        var driven = Stopwatch.GetElapsedTime(started);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        long paid;
        while ((paid = await database.ScalarAsync<long>("SELECT count(*) FROM orders WHERE status = 'Fulfilling'") - ordersBefore) < orders.Count
               && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var allPaid = Stopwatch.GetElapsedTime(started);

        var paidPerSecond = paid / allPaid.TotalSeconds;
        var checkout = Distribution.Of(latencies);
        Report.Row("checkouts started", Report.Count(orders.Count));
        Report.Row("orders paid (webhook applied, receipt queued)", Report.Count(paid), $"= {Report.Count(orders.Count)}");
        Report.Row("errors", Report.Count(errors), "= 0");
        Report.Row("load driven for", Report.Seconds(driven));
        Report.Row("last order paid after", Report.Seconds(allPaid));
        Report.Row("paid orders/s", Report.Rate(paidPerSecond), ">= 300 /s");
        Report.Row("POST /api/checkout p50", Report.Ms(checkout.P50));
        Report.Row("POST /api/checkout p99", Report.Ms(checkout.P99), "<= 100 ms");
        Report.Row("POST /api/checkout max", Report.Ms(checkout.Max));
        Report.Note("each visit: GET cart, POST item, POST checkout, then the provider's signed checkout.session.completed webhook");
        Report.Note("each paid order also starts its delivery (the download is provisioned in the background)");
        Report.EndSection();

        report.Verdict("paid orders/s >= 300", paidPerSecond >= 300 && paid == orders.Count && errors == 0,
            $"{Report.Rate(paidPerSecond)}, {Report.Count(paid)}/{Report.Count(orders.Count)} paid, {errors} errors");
        report.Verdict("checkout p99 <= 100 ms", checkout.P99 <= 100, $"p99 {Report.Ms(checkout.P99)} (p50 {Report.Ms(checkout.P50)})");
        report.PrintVerdicts();
        Console.WriteLine($"  (load average at the end: {MachineFacts.LoadAverage()})");
        await web.DisposeAsync();
        files.Delete(recursive: true);
        return report.AllMet ? 0 : 1;
    }

    private static async Task<int> DriveAsync(HttpClient http, TimeSpan duration, int visitorBase,
        ConcurrentBag<double>? latencies = null, ConcurrentBag<string>? orders = null)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var errors = 0;
        var next = visitorBase;
        await Task.WhenAll(Enumerable.Range(0, Shoppers).Select(async _ =>
        {
            var shopper = new Shopper(http);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                try
                {
                    var visitor = Interlocked.Increment(ref next);
                    var (orderId, payPage, ms) = await shopper.StartCheckoutAsync(BenchCatalog.ProductId, visitor);
                    if (!await PaymentWebhooks.SendPaidAsync(http, orderId, PaymentWebhooks.SessionOf(payPage), 2_900, visitor))
                        throw new HttpRequestException($"The payment webhook for {orderId} was refused.");
                    latencies?.Add(ms);
                    orders?.Add(orderId);
                }
                catch (HttpRequestException ex)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  error: {ex.Message}");
                }
            }
        }));
        return errors;
    }
}
