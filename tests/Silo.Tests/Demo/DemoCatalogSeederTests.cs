using System.IO.Compression;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Silo.Commerce.Demo;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Courier.Silo.Deliveries;

namespace Courier.Silo.Tests.Demo;

public sealed class DemoCatalogSeederTests : IAsyncLifetime
{
    private const string ProductGrainType = "Courier.Grains.Catalog.ProductGrain";

    private readonly InMemoryStore store = new();
    private readonly string filesRoot = Path.Combine(Path.GetTempPath(), $"courier-demo-files-{Guid.NewGuid():N}");
    private TestSilo silo = null!;

    public async Task InitializeAsync() =>
        silo = await TestSilo.StartAsync(store, services => { });

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        if (Directory.Exists(filesRoot)) Directory.Delete(filesRoot, recursive: true);
    }

    private DemoCatalogSeeder Seeder() => new(
        silo.Grains,
        silo.Services.GetRequiredService<SiloHost>(),
        TimeProvider.System,
        Options.Create(new FileStoreOptions { Root = filesRoot }),
        NullLogger<DemoCatalogSeeder>.Instance);

    private async Task<IReadOnlyList<ProductView>> StoredProductsAsync()
    {
        var products = new List<ProductView>();
        foreach (var demo in DemoCatalog.Products)
            products.Add(await silo.Grains.GetGrain<IProductGrain>(demo.Id).GetAsync() ?? throw new InvalidOperationException($"{demo.Id} was not seeded."));
        return products;
    }

    [Fact]
    public async Task Seed_fills_the_catalog_with_every_delivery_kind()
    {
        var result = await Seeder().SeedAsync(CancellationToken.None);

        var products = await StoredProductsAsync();
        Assert.Equal(DemoCatalog.Products.Count, result.ProductsSaved);
        Assert.InRange(products.Count, 12, 14);
        Assert.All(Enum.GetValues<DeliveryKind>(), kind => Assert.Contains(products, p => p.DeliveryKind == kind));
        Assert.True(products.Count(p => p.DeliveryKind == DeliveryKind.Download) >= 6);
        Assert.InRange(products.Count(p => p.StockLimit is not null), 2, 3);
        Assert.All(products, p => Assert.True(p.Active, $"{p.Id} is not active"));
    }

    [Fact]
    public async Task Seed_twice_keeps_the_same_products_without_new_versions()
    {
        var seeder = Seeder();
        await seeder.SeedAsync(CancellationToken.None);
        var first = await StoredProductsAsync();
        var versions = await VersionsAsync();

        var again = await seeder.SeedAsync(CancellationToken.None);

        Assert.Equal(0, again.ProductsSaved);
        Assert.Equal(0, again.CouponsSaved);
        Assert.Equal(DemoCatalog.Products.Count, again.ProductsUnchanged);
        Assert.Equal(versions, await VersionsAsync());
        Assert.Equal(first.Select(p => p.UpdatedAt), (await StoredProductsAsync()).Select(p => p.UpdatedAt));
    }

    [Fact]
    public async Task Seed_twice_gives_each_licence_product_twenty_distinct_keys_once()
    {
        var seeder = Seeder();
        await seeder.SeedAsync(CancellationToken.None);

        await seeder.SeedAsync(CancellationToken.None);

        var licenceProducts = DemoCatalog.Products.Where(p => p.Draft.DeliveryKind == DeliveryKind.LicenseKey).ToList();
        Assert.NotEmpty(licenceProducts);
        foreach (var product in licenceProducts)
        {
            Assert.Equal(20, (await silo.Grains.GetGrain<ILicenseKeyPoolGrain>(product.Id).GetAsync()).Available);
            Assert.All(DemoCatalog.LicenseKeys(product), key => Assert.Matches("^[A-Z]+-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", key));
        }
        Assert.Equal(20 * licenceProducts.Count, licenceProducts.SelectMany(DemoCatalog.LicenseKeys).Distinct().Count());
    }

    [Fact]
    public async Task Seed_restores_a_demo_product_that_was_changed()
    {
        await Seeder().SeedAsync(CancellationToken.None);
        var aurora = DemoCatalog.Products.Single(p => p.Id == "prod_aurora");
        await silo.Grains.GetGrain<IProductGrain>(aurora.Id).SaveAsync(aurora.Draft with { Price = new Money(100, "usd") });

        var result = await Seeder().SeedAsync(CancellationToken.None);

        Assert.Equal(1, result.ProductsSaved);
        Assert.Equal(aurora.Draft.Price, (await silo.Grains.GetGrain<IProductGrain>(aurora.Id).GetAsync())!.Price);
    }

    [Fact]
    public async Task Seeded_products_have_unique_slugs_real_copy_and_prices()
    {
        await Seeder().SeedAsync(CancellationToken.None);

        var products = await StoredProductsAsync();
        Assert.Equal(products.Count, products.Select(p => p.Slug).Distinct().Count());
        Assert.All(products, p =>
        {
            Assert.True(p.Price.Amount > 0, $"{p.Id} has no price");
            Assert.Equal("usd", p.Price.Currency);
            Assert.NotEmpty(p.Tags);
            Assert.True(p.DescriptionMarkdown.Length > 400, $"{p.Id} has a thin description");
            foreach (var text in new[] { p.Title, p.Summary, p.DescriptionMarkdown })
            {
                Assert.DoesNotContain("lorem", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("ipsum", text, StringComparison.OrdinalIgnoreCase);
            }
        });
    }

    [Fact]
    public async Task Every_product_image_is_a_file_the_web_front_serves()
    {
        await Seeder().SeedAsync(CancellationToken.None);

        var wwwroot = Path.Combine(RepositoryPaths.Root, "src", "WebFront", "wwwroot");
        var images = (await StoredProductsAsync()).SelectMany(p => p.Images).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, image =>
        {
            Assert.StartsWith("/media/products/", image, StringComparison.Ordinal);
            var file = Path.Combine(wwwroot, image.TrimStart('/'));
            Assert.True(File.Exists(file), $"{image} does not exist under src/WebFront/wwwroot");
            Assert.InRange(new FileInfo(file).Length, 1_000, 15_360);
        });
    }

    [Fact]
    public async Task Every_download_has_a_zip_with_a_working_page()
    {
        await Seeder().SeedAsync(CancellationToken.None);

        var downloads = (await StoredProductsAsync()).Where(p => p.DeliveryKind == DeliveryKind.Download).ToList();
        Assert.All(downloads, product =>
        {
            Assert.Equal($"products/{product.Id}/{product.Slug}.zip", product.DownloadFile);
            var zipPath = Path.Combine(filesRoot, product.DownloadFile!);
            Assert.True(File.Exists(zipPath), $"{zipPath} was not written");
            using var zip = ZipFile.OpenRead(zipPath);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains($"{product.Slug}/index.html", names);
            Assert.Contains($"{product.Slug}/styles.css", names);
            Assert.Contains($"{product.Slug}/README.md", names);
            using var page = new StreamReader(zip.GetEntry($"{product.Slug}/index.html")!.Open());
            var html = page.ReadToEnd();
            Assert.Contains("<meta name=\"viewport\"", html, StringComparison.Ordinal);
            Assert.Contains("styles.css", html, StringComparison.Ordinal);
        });
        Assert.All(DemoCatalog.Products.Where(p => p.Draft.DeliveryKind == DeliveryKind.LicenseKey), p => Assert.Null(p.Draft.DownloadFile));
    }

    [Fact]
    public async Task Every_hosted_site_has_the_zip_of_its_templates_pages_for_the_built_in_host_to_serve()
    {
        await Seeder().SeedAsync(CancellationToken.None);

        var hosted = (await StoredProductsAsync()).Where(p => p.DeliveryKind == DeliveryKind.SiteAccess).ToList();
        Assert.Equal(3, hosted.Count);
        Assert.All(hosted, product =>
        {
            var template = product.Slug[..^"-hosted".Length];
            Assert.Equal($"products/{product.Id}/{template}.zip", product.DownloadFile);
            using var zip = ZipFile.OpenRead(Path.Combine(filesRoot, product.DownloadFile!));
            Assert.Contains($"{template}/index.html", zip.Entries.Select(e => e.FullName));
            Assert.Contains($"{template}/styles.css", zip.Entries.Select(e => e.FullName));
        });
    }

    [Fact]
    public async Task Seed_twice_writes_byte_identical_zips()
    {
        await Seeder().SeedAsync(CancellationToken.None);
        var zip = Path.Combine(filesRoot, "products", "prod_aurora", "aurora-saas.zip");
        var first = await File.ReadAllBytesAsync(zip);
        File.Delete(zip);

        await Seeder().SeedAsync(CancellationToken.None);

        Assert.Equal(first, await File.ReadAllBytesAsync(zip));
    }

    [Fact]
    public async Task Seed_creates_the_demo_coupons()
    {
        var before = DateTimeOffset.UtcNow;

        await Seeder().SeedAsync(CancellationToken.None);

        var welcome = await silo.Grains.GetGrain<ICouponGrain>("WELCOME10").GetAsync();
        Assert.Equal((CouponKind.Percentage, 1000L, 2000L), (welcome!.Kind, welcome.Value, welcome.MinimumSubtotal));
        var launch = await silo.Grains.GetGrain<ICouponGrain>("LAUNCH25").GetAsync();
        Assert.Equal((CouponKind.Percentage, 2500L, (int?)100), (launch!.Kind, launch.Value, launch.UsageLimit));
        Assert.InRange(launch.ExpiresAt!.Value, before.AddDays(30), DateTimeOffset.UtcNow.AddDays(30));
        var save = await silo.Grains.GetGrain<ICouponGrain>("SAVE5").GetAsync();
        Assert.Equal((CouponKind.Fixed, 500L), (save!.Kind, save.Value));
        var quote = await silo.Grains.GetGrain<ICouponGrain>("WELCOME10").QuoteAsync(new Money(4900, "usd"));
        Assert.Equal(new Money(490, "usd"), quote.Discount);
    }

    private async Task<IReadOnlyList<long>> VersionsAsync()
    {
        var versions = new List<long>();
        foreach (var demo in DemoCatalog.Products)
            versions.Add((await store.ReadStateAsync(new GrainName(ProductGrainType, demo.Id), CancellationToken.None))!.Version);
        return versions;
    }
}
