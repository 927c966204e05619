using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Silo.Commerce;
using Courier.Silo.Hosting;

namespace Courier.Bench.Harness;

/// <summary>Products the benches sell, written by a short-lived second node into the web front's database.</summary>
internal static class BenchCatalog
{
    public const string ProductId = "prod_bench";
    public const string DownloadFile = "bench/bench-template.zip";
    public const string LargeProductId = "prod_bench_large";
    public const string LargeDownloadFile = "bench/bench-50mb.zip";
    public const int LargeFileBytes = 50 * 1024 * 1024;

    /// <summary>A folder to use as Courier:Files:Root holding the bench product's file (64 KB) and, when asked, a 50 MB one.</summary>
    public static async Task<DirectoryInfo> CreateFileStoreAsync(bool withLargeFile = false)
    {
        var files = Directory.CreateTempSubdirectory("courier-bench-files-");
        Directory.CreateDirectory(Path.Combine(files.FullName, "bench"));
        await File.WriteAllBytesAsync(Path.Combine(files.FullName, DownloadFile), new byte[64 * 1024]);
        if (withLargeFile)
            await File.WriteAllBytesAsync(Path.Combine(files.FullName, LargeDownloadFile), System.Security.Cryptography.RandomNumberGenerator.GetBytes(LargeFileBytes));
        return files;
    }

    public static async Task SeedAsync(string connectionString)
    {
        await using var node = await BenchSilo.StartAsync(connectionString, services =>
        {
            services.AddCourierCommerce(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        });
        await node.Grains.GetGrain<IProductGrain>(ProductId).SaveAsync(new ProductDraft(
            "bench-template", "Bench template", "A product for the benches.", "Bench.", [], new Money(2_900, "usd"),
            DeliveryKind.Download, null, null, ["bench"], DownloadFile: DownloadFile));
        await node.Grains.GetGrain<IProductGrain>(LargeProductId).SaveAsync(new ProductDraft(
            "bench-large-template", "Bench template (50 MB)", "A large download for the delivery bench.", "Bench.", [], new Money(2_900, "usd"),
            DeliveryKind.Download, null, null, ["bench"], DownloadFile: LargeDownloadFile));
    }
}
