using System.Text.RegularExpressions;
using Courier.Abstractions.Audit;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Catalog;

public sealed class ProductState
{
    public ProductView? Product { get; set; }
}

/// <summary>The catalog's read-model row of a product.</summary>
public sealed record CatalogRow(ProductView Product) : ReadModelRow
{
    public override string RowKey => Product.Id;
}

[Orleans.GrainType("Courier.Grains.Catalog.ProductGrain")]
internal sealed partial class ProductGrain([GrainContext] IGrainContext<ProductState> grain) : Grain, IProductGrain
{
    public static readonly TimeSpan DefaultSla = TimeSpan.FromMinutes(5);

    public async Task<ProductView> SaveAsync(ProductDraft draft, string? actorId = null)
    {
        Validate(draft);
        var product = new ProductView(
            grain.Key, draft.Slug, draft.Title.Trim(), draft.Summary.Trim(), draft.DescriptionMarkdown, draft.Images, draft.Price,
            draft.DeliveryKind, draft.StockLimit, draft.DeliverySla ?? DefaultSla,
            [.. draft.Tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct()],
            draft.Active, draft.DownloadFile, grain.Now, draft.DownloadLimit);
        grain.State.Product = product;
        grain.Project(new CatalogRow(product));
        grain.Publish(new ProductChanged(grain.Key));
        Audit(actorId, AuditActions.ProductSaved, new Dictionary<string, string>
        {
            ["slug"] = product.Slug, ["title"] = product.Title, ["price"] = product.Price.ToString(), ["active"] = product.Active ? "true" : "false",
        });
        if (draft.StockLimit is { } limit)
            await grain.Grains.GetGrain<IInventoryGrain>(grain.Key).SetLimitAsync(limit, Math.Max(1, limit / 5));
        return product;
    }

    public Task<ProductView> ArchiveAsync(string? actorId = null)
    {
        var product = grain.State.Product ?? throw new RuleViolationException("product-not-found", $"There is no product {grain.Key}.", 404);
        grain.State.Product = product with { Active = false, UpdatedAt = grain.Now };
        grain.Project(new CatalogRow(grain.State.Product));
        grain.Publish(new ProductChanged(grain.Key));
        Audit(actorId, AuditActions.ProductArchived, new Dictionary<string, string> { ["slug"] = product.Slug });
        return Task.FromResult(grain.State.Product);
    }

    public Task<ProductView?> GetAsync() => Task.FromResult(grain.State.Product);

    private void Audit(string? actorId, string action, IReadOnlyDictionary<string, string> details)
    {
        if (actorId is not null) grain.Project(new AuditEntry(grain.Now, actorId, action, $"product:{grain.Key}", details));
    }

    private static void Validate(ProductDraft draft)
    {
        var errors = new Dictionary<string, object?>();
        if (!SlugPattern().IsMatch(draft.Slug)) errors["slug"] = "Use 3–80 lowercase letters, digits and single hyphens, e.g. \"aurora-saas\".";
        if (string.IsNullOrWhiteSpace(draft.Title) || draft.Title.Length > 120) errors["title"] = "A title of 1–120 characters is required.";
        if (draft.Summary.Length > 300) errors["summary"] = "Keep the summary under 300 characters.";
        if (draft.Price.Amount <= 0 || draft.Price.Amount > 100_000_000) errors["price"] = "The price must be between 0.01 and 1,000,000.00.";
        if (draft.Price.Currency is not { Length: 3 } currency || currency != currency.ToLowerInvariant()) errors["price.currency"] = "Use a lowercase ISO currency code such as \"usd\".";
        if (draft.StockLimit is < 0) errors["stockLimit"] = "A stock limit cannot be negative.";
        if (draft.DeliverySla is { } sla && (sla < TimeSpan.FromSeconds(10) || sla > TimeSpan.FromDays(7))) errors["deliverySla"] = "The delivery target must be between 10 seconds and 7 days.";
        if (draft.DownloadLimit is < 1 or > 1000) errors["downloadLimit"] = "Allow between 1 and 1,000 downloads per purchase, or leave it empty for the store's default.";
        if (errors.Count > 0) throw new RuleViolationException("invalid-product", "The product has invalid fields.", 400, errors);
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,79}$")]
    private static partial Regex SlugPattern();
}
