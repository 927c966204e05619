using System.Globalization;
using System.Net;
using System.Text.Json;
using Courier.Bench.Harness;

namespace Courier.Bench.Web;

/// <summary>
/// The "web" bench: the app as <c>./courier run</c> serves it (Release, demo store) and what a
/// shopper's browser gets from it — page throughput under 200 connections (wrk), the
/// JavaScript each storefront page ships, Lighthouse scores in Debian's Chromium, and how fast one
/// commit reaches 2,000 SignalR watchers.
/// </summary>
internal static class WebBench
{
    private const int Connections = 200;
    private const int LoadSeconds = 10;
    private const int WarmupSeconds = 10;
    private const long JavaScriptBudget = 60 * 1024;
    private const int LighthouseTarget = 95;
    private const int Watchers = 2_000;
    private const int FanoutEvents = 50;
    private static readonly string[] LighthouseCategories = ["performance", "accessibility", "best-practices"];

    public static async Task<int> RunAsync()
    {
        if (BenchDatabase.AdminConnectionString is not { } admin)
        {
            Console.Error.WriteLine($"{BenchDatabase.Variable} is not set. Run the bench with ./courier bench web.");
            return 2;
        }
        if (WrkLoad.Executable is null)
        {
            Console.Error.WriteLine("wrk is not installed. ./courier bench web installs it (apt-get install wrk).");
            return 2;
        }
        if (!BenchNodeScripts.Installed)
        {
            Console.Error.WriteLine($"The bench's Node tools are missing in {BenchNodeScripts.Folder}. ./courier bench web installs them (npm ci).");
            return 2;
        }

        var report = new Report();
        await using var database = await BenchDatabase.CreateAsync(admin);
        await MachineFacts.PrintAsync(database.ConnectionString);
        var files = Directory.CreateTempSubdirectory("courier-bench-web-files-");
        await using var web = await WebNode.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Courier__Embedded"] = "true",
            ["Courier__Files__Root"] = files.FullName,
        });
        using var http = new HttpClient { BaseAddress = web.Address, Timeout = TimeSpan.FromSeconds(30) };
        var product = await FirstProductAsync(http);
        var pages = await StorefrontPages.FindAsync(http, product.Slug);
        Report.Facts("Storefront pages", pages.All.Select(p => (p.Name, p.Describe())));

        await MeasureThroughputAsync(report, web.Address, [pages.Landing, pages.Catalog]);
        await MeasureJavaScriptAsync(report, http, [pages.Landing, pages.Catalog, pages.Product, pages.Checkout]);
        await MeasureLighthouseAsync(report, web.Address, [pages.Landing, pages.Product]);
        await MeasureFanoutAsync(report, web.Address, product.Id);

        report.PrintVerdicts();
        Console.WriteLine($"  (load average at the end: {MachineFacts.LoadAverage()})");
        await web.DisposeAsync();
        files.Delete(recursive: true);
        return report.AllMet ? 0 : 1;
    }

    private static async Task MeasureThroughputAsync(Report report, Uri address, StorefrontPage[] pages)
    {
        Report.Section($"Page throughput (wrk, {Connections} connections, {LoadSeconds} s after a {WarmupSeconds} s warm-up)");
        foreach (var page in pages)
        {
            if (!page.Found)
            {
                Report.Row($"{page.Name} {page.Path}", page.Missing, ">= 5,000 /s");
                report.Verdict($"{page.Name} >= 5,000 rps, p99 <= 20 ms", false, $"not measured: {page.Describe()}");
                continue;
            }
            var result = await WrkLoad.RunAsync(new Uri(address, page.Path), Connections, WarmupSeconds, LoadSeconds);
            Report.Row($"{page.Name} {page.Path} requests/s", Report.Rate(result.RequestsPerSecond), ">= 5,000 /s");
            Report.Row($"{page.Name} latency p50", Report.Ms(result.P50));
            Report.Row($"{page.Name} latency p90", Report.Ms(result.P90));
            Report.Row($"{page.Name} latency p99", Report.Ms(result.P99), "<= 20 ms");
            Report.Row($"{page.Name} latency max", Report.Ms(result.Max));
            Report.Row($"{page.Name} non-2xx, socket errors, timeouts", Report.Count(result.Failures), "= 0");
            report.Verdict($"{page.Name} >= 5,000 rps, p99 <= 20 ms", result.RequestsPerSecond >= 5_000 && result.P99 <= 20 && result.Failures == 0,
                $"{Report.Rate(result.RequestsPerSecond)}, p99 {Report.Ms(result.P99)}, {Report.Count(result.Failures)} failed requests");
        }
        Report.Note($"wrk ({Environment.ProcessorCount} threads) runs on the same cores as the app and PostgreSQL; each figure is the whole machine's");
        Report.Note("every request is a first visit: wrk keeps no cookies, so each response also issues fresh antiforgery cookies");
        Report.EndSection();
    }

    private static async Task MeasureJavaScriptAsync(Report report, HttpClient http, StorefrontPage[] pages)
    {
        Report.Section("JavaScript shipped per storefront page (each file gzipped at the highest level)");
        foreach (var page in pages)
        {
            if (!page.Found)
            {
                Report.Row($"{page.Name} {page.Path}", page.Missing, "<= 61,440 B");
                report.Verdict($"{page.Name} JavaScript <= 60 KB gzip", false, $"not measured: {page.Describe()}");
                continue;
            }
            var js = await ShippedJavaScript.OfPageAsync(http, new Uri(http.BaseAddress!, page.Path));
            Report.Row($"{page.Name} {page.Path} ({js.Files} scripts, {Report.Bytes(js.RawBytes)} raw)", Report.Bytes(js.GzipBytes), "<= 61,440 B");
            report.Verdict($"{page.Name} JavaScript <= 60 KB gzip", js.GzipBytes <= JavaScriptBudget, $"{Report.Bytes(js.GzipBytes)} in {js.Files} scripts");
        }
        Report.Note("counted: inline scripts, <script src>, module preloads and their static imports; lazy import() is not");
        Report.EndSection();
    }

    private static async Task MeasureLighthouseAsync(Report report, Uri address, StorefrontPage[] pages)
    {
        Report.Section("Lighthouse 12 in Debian's Chromium (mobile: simulated slow 4G and CPU; desktop preset)");
        var found = pages.Where(p => p.Found).ToArray();
        foreach (var page in pages.Where(p => !p.Found))
        {
            Report.Row($"{page.Name} {page.Path}", page.Missing, ">= 95 each");
            report.Verdict($"{page.Name} Lighthouse >= 95", false, $"not measured: {page.Describe()}");
        }
        if (found.Length > 0)
        {
            var results = await BenchNodeScripts.RunAsync("lighthouse.mjs", new
            {
                pages = found.Select(p => new { name = p.Name, url = new Uri(address, p.Path).ToString() }),
                formFactors = new[] { "mobile", "desktop" },
            }, TimeSpan.FromMinutes(10));
            foreach (var result in results)
            {
                var name = result.GetProperty("name").GetString()!;
                var formFactor = result.GetProperty("formFactor").GetString()!;
                var lowest = int.MaxValue;
                foreach (var category in LighthouseCategories)
                {
                    var score = result.GetProperty("scores").GetProperty(category);
                    var value = score.ValueKind == JsonValueKind.Number ? score.GetInt32() : 0;
                    lowest = Math.Min(lowest, value);
                    Report.Row($"{name} ({formFactor}) {category}", score.ValueKind == JsonValueKind.Number ? value.ToString(CultureInfo.InvariantCulture) : "no score", ">= 95");
                }
                if (result.GetProperty("error").GetString() is { } error) Report.Note($"{name} ({formFactor}): {error}");
                foreach (var audit in result.GetProperty("below").EnumerateArray().Take(6))
                    Report.Note($"{name} ({formFactor}) loses points on {audit.GetString()}");
                report.Verdict($"{name} Lighthouse ({formFactor}) >= 95", lowest >= LighthouseTarget, $"lowest category score {lowest}");
            }
        }
        Report.EndSection();
    }

    private static async Task MeasureFanoutAsync(Report report, Uri address, string productId)
    {
        Report.Section($"Live updates: one guest's cart watched by {Watchers:#,0} SignalR connections, {FanoutEvents} changes");
        var result = (await BenchNodeScripts.RunAsync("fanout.mjs",
            new { baseUrl = address.ToString(), productId, watchers = Watchers, events = FanoutEvents, pauseMs = 100 },
            TimeSpan.FromMinutes(5)))[0];
        var expected = result.GetProperty("expected").GetInt64();
        var received = result.GetProperty("received").GetInt64();
        var p99 = result.GetProperty("p99").GetDouble();
        Report.Row("watchers connected", Report.Count(result.GetProperty("connected").GetInt64()), $"= {Watchers:#,0}");
        Report.Row("time to connect them all", result.GetProperty("connectSeconds").GetDouble().ToString("0.0 s", CultureInfo.InvariantCulture));
        Report.Row("events delivered", $"{Report.Count(received)} / {Report.Count(expected)}", "all");
        Report.Row("commit → receipt p50", Report.Ms(result.GetProperty("p50").GetDouble()));
        Report.Row("commit → receipt p90", Report.Ms(result.GetProperty("p90").GetDouble()));
        Report.Row("commit → receipt p99", Report.Ms(p99), "report");
        Report.Row("commit → receipt max", Report.Ms(result.GetProperty("max").GetDouble()));
        Report.Note("measured from the event's `at` (the committing turn's start, so a little before the commit) to its arrival");
        Report.Note("all watchers run in one Node process with the official client; its own processing is part of the figure");
        Report.EndSection();
        report.Verdict($"fan-out to {Watchers:#,0} watchers: every event arrives", received == expected && expected > 0,
            $"{Report.Count(received)}/{Report.Count(expected)}, p99 {Report.Ms(p99)}");
    }

    private static async Task<(string Id, string Slug)> FirstProductAsync(HttpClient http)
    {
        using var catalog = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/products", UriKind.Relative)));
        var first = catalog.RootElement.GetProperty("items").EnumerateArray().FirstOrDefault();
        if (first.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException("The demo store has no products; the web node should have been started with Courier__Embedded=true.");
        return (first.GetProperty("id").GetString()!, first.GetProperty("slug").GetString()!);
    }
}

/// <summary>A storefront page the bench looks at, and whether the app serves it yet.</summary>
internal sealed record StorefrontPage(string Name, string Path, HttpStatusCode Status)
{
    public bool Found => Status == HttpStatusCode.OK;

    public string Describe() => Found
        ? $"{Path} (200)"
        : $"{Path} answered {(int)Status} {Status}" + (Status == HttpStatusCode.NotFound ? " — not built yet (storefront not merged?)" : "");

    /// <summary>What the figure column shows instead of a value when the page is not served.</summary>
    public string Missing => $"not served ({(int)Status})";
}

internal sealed record StorefrontPages(StorefrontPage Landing, StorefrontPage Catalog, StorefrontPage Product, StorefrontPage Checkout)
{
    public IEnumerable<StorefrontPage> All => [Landing, Catalog, Product, Checkout];

    public static async Task<StorefrontPages> FindAsync(HttpClient http, string productSlug)
    {
        async Task<StorefrontPage> Probe(string name, params string[] paths)
        {
            StorefrontPage? first = null;
            foreach (var path in paths)
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                var page = new StorefrontPage(name, path, response.StatusCode);
                if (page.Found) return page;
                first ??= page;
            }
            return first!;
        }

        return new StorefrontPages(
            await Probe("landing", "/"),
            await Probe("catalog", "/templates"),
            await Probe("product", $"/templates/{productSlug}", $"/products/{productSlug}"),
            await Probe("checkout", "/checkout"));
    }
}
