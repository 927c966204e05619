using System.Collections.Concurrent;
using System.Diagnostics;
using Courier.Bench.Harness;

namespace Courier.Bench.Checkout;

/// <summary>
/// The "checkout" bench: 100 concurrent shoppers buy through the real web front (a separate
/// process) — cart, checkout, then the provider's signed webhook, order paid. Two runs: as fast as
/// the shoppers can go (how many paid orders per second the machine sustains), then at the target
/// rate of 300 visits per second (how long POST /api/checkout takes while the machine carries that
/// load). A closed loop at saturation measures mostly the queue: there, every shopper waits for the
/// 99 others, so its latency follows from the throughput and says little about the service.
/// </summary>
internal static class CheckoutBench
{
    private const int Shoppers = 100;
    private const double TargetRate = 300;
    private const double TargetP99Ms = 100;

    // The web front compiles its hot paths to tier-1 code for about 45 s of load; before that the
    // JIT takes a tenth of the machine. A server runs for days, so figures are taken after it.
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

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
        var pipeline = new Pipeline(database);

        Console.WriteLine($"Warming up: {Shoppers} shoppers as fast as they can for {Warmup.TotalSeconds:0} s (not measured)");
        Console.WriteLine();
        await DriveAsync(http, Warmup, visitorBase: 1_000_000, rate: null);
        await pipeline.SettleAsync();

        // 1. Saturation: every shopper starts its next visit as soon as the last one ended.
        Report.Section($"As fast as {Shoppers} shoppers can buy (closed loop, {Measured.TotalSeconds:0} s)");
        var fastest = await pipeline.MeasureAsync(() => DriveAsync(http, Measured, visitorBase: 0, rate: null));
        fastest.Print();
        Report.Note("each visit: GET cart, POST item, POST checkout, then the provider's signed checkout.session.completed webhook");
        Report.Note("paid = the order is Fulfilling (or already Fulfilled); its download is then provisioned, the receipt and the \"ready\" e-mail sent, on the same cores");
        Report.Note("here every shopper waits behind 99 others, so the latency is mostly queue: 100 shoppers / throughput");
        Report.EndSection();
        await pipeline.SettleAsync();

        // 2. The target rate: visits start on a fixed schedule, each taken by a free shopper.
        Report.Section($"At the target rate: {TargetRate:0} visits/s by {Shoppers} shoppers ({Measured.TotalSeconds:0} s)");
        var paced = await pipeline.MeasureAsync(() => DriveAsync(http, Measured, visitorBase: 2_000_000, rate: TargetRate));
        paced.Print(checkoutTarget: $"<= {TargetP99Ms:0} ms");
        Report.Row("visits started more than 100 ms after their slot", Report.Count(paced.Drive.LateStarts), "<= 1 %");
        Report.EndSection();

        report.Verdict($"paid orders/s >= {TargetRate:0}", fastest.PaidPerSecond >= TargetRate && fastest.AllPaid && fastest.Drive.Errors == 0,
            $"{Report.Rate(fastest.PaidPerSecond)} at saturation, {Report.Count(fastest.Paid)}/{Report.Count(fastest.Drive.Orders)} paid, {fastest.Drive.Errors} errors");
        report.Verdict($"checkout p99 <= {TargetP99Ms:0} ms at {TargetRate:0}/s",
            paced.Checkout.P99 <= TargetP99Ms && paced.AllPaid && paced.Drive.Errors == 0 && paced.Drive.LateStarts <= paced.Drive.Orders / 100,
            $"p99 {Report.Ms(paced.Checkout.P99)} (p50 {Report.Ms(paced.Checkout.P50)}) at {Report.Rate(paced.PaidPerSecond)}; at saturation p99 {Report.Ms(fastest.Checkout.P99)}");
        report.PrintVerdicts();
        Console.WriteLine($"  (load average at the end: {MachineFacts.LoadAverage()})");
        await web.DisposeAsync();
        files.Delete(recursive: true);
        return report.AllMet ? 0 : 1;
    }

    private sealed record DriveResult(int Orders, int Errors, int LateStarts, TimeSpan Driven, Distribution Checkout);

    /// <summary>
    /// Runs visits for <paramref name="duration"/>. Without a rate each of the shoppers starts its
    /// next visit at once; with one, visit n is due at n / rate seconds and the next free shopper takes it.
    /// </summary>
    private static async Task<DriveResult> DriveAsync(HttpClient http, TimeSpan duration, int visitorBase, double? rate)
    {
        var latencies = new ConcurrentBag<double>();
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var errors = 0;
        var late = 0;
        var orders = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Shoppers).Select(async _ =>
        {
            var shopper = new Shopper(http);
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (rate is { } perSecond)
                {
                    var due = started + (long)(n / perSecond * Stopwatch.Frequency);
                    if (due >= stopAt) break;
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                    else if (-wait.TotalMilliseconds > 100) Interlocked.Increment(ref late);
                }
                else if (Stopwatch.GetTimestamp() >= stopAt) break;
                try
                {
                    var visitor = visitorBase + n;
                    var (orderId, payPage, ms) = await shopper.StartCheckoutAsync(BenchCatalog.ProductId, visitor);
                    if (!await PaymentWebhooks.SendPaidAsync(http, orderId, PaymentWebhooks.SessionOf(payPage), 2_900, visitor))
                        throw new HttpRequestException($"The payment webhook for {orderId} was refused.");
                    latencies.Add(ms);
                    Interlocked.Increment(ref orders);
                }
                catch (HttpRequestException ex)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  error: {ex.Message}");
                }
            }
        }));
        return new DriveResult(orders, errors, late, Stopwatch.GetElapsedTime(started), Distribution.Of(latencies));
    }

    /// <summary>What the database shows of the shoppers' orders: paid, delivered, and the machine's CPU per order.</summary>
    private sealed class Pipeline(BenchDatabase database)
    {
        private Task<long> PaidAsync() => database.ScalarAsync<long>("SELECT count(*) FROM orders WHERE status IN ('Fulfilling', 'Fulfilled', 'Completed')");

        private Task<long> DeliveredAsync() => database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'Ready'");

        private Task<long> PendingMessagesAsync() => database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'pending'");

        /// <summary>Waits until the last run's deliveries and e-mails are done, so the next run starts on a quiet machine.</summary>
        public async Task SettleAsync()
        {
            var deadline = DateTime.UtcNow + Patience;
            while (await PendingMessagesAsync() > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        }

        public async Task<Measurement> MeasureAsync(Func<Task<DriveResult>> drive)
        {
            var paidBefore = await PaidAsync();
            var deliveredBefore = await DeliveredAsync();
            var cpuBefore = MachineCpu.Now();
            var started = Stopwatch.GetTimestamp();
            var result = await drive();

            var deadline = DateTime.UtcNow + Patience;
            long paid;
            while ((paid = await PaidAsync() - paidBefore) < result.Orders && DateTime.UtcNow < deadline) await Task.Delay(100);
            var allPaid = Stopwatch.GetElapsedTime(started);
            long delivered;
            while ((delivered = await DeliveredAsync() - deliveredBefore) < result.Orders && DateTime.UtcNow < deadline) await Task.Delay(100);
            var allDelivered = Stopwatch.GetElapsedTime(started);
            var cpuSeconds = MachineCpu.Now() - cpuBefore;
            return new Measurement(result, paid, allPaid, delivered, allDelivered, cpuSeconds);
        }
    }

    private sealed record Measurement(DriveResult Drive, long Paid, TimeSpan PaidAfter, long Delivered, TimeSpan AllDelivered, double CpuSeconds)
    {
        public double PaidPerSecond => Paid / PaidAfter.TotalSeconds;
        public bool AllPaid => Paid == Drive.Orders;
        public Distribution Checkout => Drive.Checkout;

        public void Print(string checkoutTarget = "")
        {
            Report.Row("checkouts started", Report.Count(Drive.Orders));
            Report.Row("orders paid (webhook applied, receipt queued)", Report.Count(Paid), $"= {Report.Count(Drive.Orders)}");
            Report.Row("errors", Report.Count(Drive.Errors), "= 0");
            Report.Row("load driven for", Report.Seconds(Drive.Driven));
            Report.Row("last order paid after", Report.Seconds(PaidAfter));
            Report.Row("paid orders/s", Report.Rate(PaidPerSecond), checkoutTarget.Length == 0 ? $">= {TargetRate:0} /s" : "");
            Report.Row("deliveries ready", Report.Count(Delivered), $"= {Report.Count(Drive.Orders)}");
            Report.Row("last delivery ready after", Report.Seconds(AllDelivered));
            Report.Row("orders delivered/s, everything done", Report.Rate(Delivered / AllDelivered.TotalSeconds));
            Report.Row("machine CPU per delivered order (app, PG, shoppers)", Report.Ms(CpuSeconds * 1000 / Math.Max(Delivered, 1)));
            Report.Row("POST /api/checkout p50", Report.Ms(Checkout.P50));
            Report.Row("POST /api/checkout p99", Report.Ms(Checkout.P99), checkoutTarget);
            Report.Row("POST /api/checkout max", Report.Ms(Checkout.Max));
        }
    }
}
