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

    /// <summary>A folder to use as Courier:Files:Root holding the bench product's file (64 KB).</summary>
    public static async Task<DirectoryInfo> CreateFileStoreAsync()
    {
        var files = Directory.CreateTempSubdirectory("courier-bench-files-");
        Directory.CreateDirectory(Path.Combine(files.FullName, "bench"));
        await File.WriteAllBytesAsync(Path.Combine(files.FullName, DownloadFile), new byte[64 * 1024]);
        return files;
    }

    public static async Task SeedAsync(string connectionString)
    {
        await using var node = await BenchSilo.StartAsync(connectionString, services =>
        {
            services.AddGrainsFrom(typeof(Courier.Grains.GrainsAssembly).Assembly);
            services.AddCourierCommerce(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        });
        await node.Runtime.Get<IProductGrain>(ProductId).Save(new ProductDraft(
            "bench-template", "Bench template", "A product for the benches.", "Bench.", [], new Money(2_900, "usd"),
            DeliveryKind.Download, null, null, ["bench"], DownloadFile: DownloadFile));
    }
}
