using System.IO.Compression;
using System.Reflection;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;
using Courier.Grains.Catalog;
using Courier.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Courier.Silo.Deliveries;

namespace Courier.Silo.Commerce.Demo;

/// <summary>
/// Fills the embedded run's store with <see cref="DemoCatalog"/>: products, their zips (downloads,
/// and the pages of hosted sites) and coupons. Safe to run on every start: what is already there unchanged is left alone, so
/// restarts do not bump product versions.
/// </summary>
internal sealed partial class DemoCatalogSeeder(
    IGrainFactory grains,
    SiloHost silo,
    TimeProvider time,
    IOptions<FileStoreOptions> files,
    ILogger<DemoCatalogSeeder> log) : IHostedService
{
    private const string TemplateResourcePrefix = "DemoTemplates/";
    private static readonly TimeSpan SiloStartPatience = TimeSpan.FromMinutes(2);

    // Fixed so that the same template always zips to the same bytes.
    private static readonly DateTimeOffset ZipEntryTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await WaitForSiloAsync(cancellationToken).ConfigureAwait(false);
        var result = await SeedAsync(cancellationToken).ConfigureAwait(false);
        LogSeeded(result.ProductsSaved, result.ProductsUnchanged, result.CouponsSaved, files.Value.Root);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<DemoSeedResult> SeedAsync(CancellationToken cancellationToken)
    {
        int saved = 0, unchanged = 0, coupons = 0;
        foreach (var product in DemoCatalog.Products)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (product.Draft.DownloadFile is { } downloadFile)
                await WriteTemplateZipAsync(product.Template ?? product.Draft.Slug, files.Value.PathOf(downloadFile), cancellationToken).ConfigureAwait(false);

            var grain = grains.GetGrain<IProductGrain>(product.Id);
            if (await grain.GetAsync().ConfigureAwait(false) is { } existing && HasSameContent(existing, product.Draft))
            {
                unchanged++;
                continue;
            }
            await grain.SaveAsync(product.Draft).ConfigureAwait(false);
            saved++;
        }

        // The pool skips keys it already knows, so a restart adds nothing.
        foreach (var product in DemoCatalog.Products.Where(p => p.Draft.DeliveryKind == DeliveryKind.LicenseKey))
            await grains.GetGrain<ILicenseKeyPoolGrain>(product.Id).AddKeysAsync(DemoCatalog.LicenseKeys(product)).ConfigureAwait(false);

        foreach (var coupon in DemoCatalog.Coupons(time.GetUtcNow()))
        {
            var grain = grains.GetGrain<ICouponGrain>(coupon.Code);
            if (await grain.GetAsync().ConfigureAwait(false) is { } existing && HasSameTerms(existing, coupon.Draft)) continue;
            await grain.SaveAsync(coupon.Draft).ConfigureAwait(false);
            coupons++;
        }
        return new DemoSeedResult(saved, unchanged, coupons);
    }

    /// <summary>The embedded template files of a product, by path inside its folder, in a stable order.</summary>
    internal static IReadOnlyList<(string Path, byte[] Content)> TemplateFiles(string slug)
    {
        var assembly = typeof(DemoCatalogSeeder).Assembly;
        var prefix = $"{TemplateResourcePrefix}{slug}/";
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => (name[prefix.Length..], Read(assembly, name)))];
    }

    private static async Task WriteTemplateZipAsync(string slug, string path, CancellationToken cancellationToken)
    {
        var templateFiles = TemplateFiles(slug);
        if (templateFiles.Count == 0)
            throw new InvalidOperationException($"A demo product has a file built from the template \"{slug}\", but Commerce/Demo/Templates/{slug} has no files.");

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in templateFiles)
            {
                var entry = zip.CreateEntry($"{slug}/{name}", CompressionLevel.Optimal);
                entry.LastWriteTime = ZipEntryTime;
                await using var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            }
        }
        var bytes = buffer.ToArray();

        if (File.Exists(path) && (await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(bytes))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static bool HasSameContent(ProductView existing, ProductDraft draft) =>
        existing.Slug == draft.Slug
        && existing.Title == draft.Title.Trim()
        && existing.Summary == draft.Summary.Trim()
        && existing.DescriptionMarkdown == draft.DescriptionMarkdown
        && existing.Images.SequenceEqual(draft.Images)
        && existing.Price == draft.Price
        && existing.DeliveryKind == draft.DeliveryKind
        && existing.StockLimit == draft.StockLimit
        && existing.DeliverySla == (draft.DeliverySla ?? ProductGrain.DefaultSla)
        && existing.Tags.SequenceEqual(draft.Tags)
        && existing.Active == draft.Active
        && existing.DownloadFile == draft.DownloadFile
        && existing.DownloadLimit == draft.DownloadLimit;

    // The expiry is left out on purpose: LAUNCH25 runs 30 days from the first seed, not from every restart.
    private static bool HasSameTerms(CouponView existing, CouponDraft draft) =>
        existing.Kind == draft.Kind
        && existing.Value == draft.Value
        && existing.Currency == draft.Currency
        && existing.UsageLimit == draft.UsageLimit
        && existing.MinimumSubtotal == draft.MinimumSubtotal
        && existing.ExpiresAt.HasValue == draft.ExpiresAt.HasValue;

    private async Task WaitForSiloAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + SiloStartPatience;
        while (!silo.IsRunning)
        {
            if (time.GetUtcNow() > deadline)
                throw new InvalidOperationException(
                    $"The silo did not start within {SiloStartPatience.TotalMinutes:0} minutes, so the demo catalog was not seeded. Check the database connection (ConnectionStrings:Courier).");
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo catalog: {Saved} products saved, {Unchanged} unchanged, {Coupons} coupons saved; files in {Root}")]
    private partial void LogSeeded(int saved, int unchanged, int coupons, string root);
}

internal sealed record DemoSeedResult(int ProductsSaved, int ProductsUnchanged, int CouponsSaved);
