using Orleans.Concurrency;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Catalog;

/// <summary>One product of the catalog, keyed by its stable id (e.g. "prod_aurora").</summary>
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the product's details; returns the stored product. A staff <paramref name="actorId"/> is audited.</summary>
    Task<ProductView> SaveAsync(ProductDraft draft, string? actorId = null);

    Task<ProductView> ArchiveAsync(string? actorId = null);

    [ReadOnly] Task<ProductView?> GetAsync();
}

public enum DeliveryKind
{
    Download,
    LicenseKey,
    SiteAccess,
}

/// <summary>What an admin submits. <c>DownloadLimit</c>: downloads each purchase allows (null: the store's default).</summary>
public sealed record ProductDraft(
    string Slug,
    string Title,
    string Summary,
    string DescriptionMarkdown,
    IReadOnlyList<string> Images,
    Money Price,
    DeliveryKind DeliveryKind,
    int? StockLimit,
    TimeSpan? DeliverySla,
    IReadOnlyList<string> Tags,
    bool Active = true,
    string? DownloadFile = null,
    int? DownloadLimit = null);

public sealed record ProductView(
    string Id,
    string Slug,
    string Title,
    string Summary,
    string DescriptionMarkdown,
    IReadOnlyList<string> Images,
    Money Price,
    DeliveryKind DeliveryKind,
    int? StockLimit,
    TimeSpan DeliverySla,
    IReadOnlyList<string> Tags,
    bool Active,
    string? DownloadFile,
    DateTimeOffset UpdatedAt,
    int? DownloadLimit = null);

/// <summary>A product was saved or archived: pages that list or show it must be rendered afresh.</summary>
public sealed record ProductChanged(string ProductId) : Courier.Abstractions.Live.LiveEvent
{
    public const string Name = "productChanged";

    public override string Kind => Name;
    public override IReadOnlyList<string> Topics => ["admin"];
}
