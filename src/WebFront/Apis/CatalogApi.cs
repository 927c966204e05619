using Courier.Abstractions.Catalog;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Runtime;
using Courier.Silo.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

internal static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Catalog").AllowAnonymous();
        products.MapGet("/", ListAsync).WithSummary("Active products, filtered by kind, search text and tag, sorted.");
        products.MapGet("/{slug}", BySlugAsync).WithSummary("One product with its current stock.");
        return app;
    }

    private static async Task<Results<Ok<CatalogPage>, ProblemHttpResult>> ListAsync(
        CatalogReadModel catalog, string? kind, string? q, string? tag, string? sort, CancellationToken cancellationToken)
    {
        DeliveryKind? deliveryKind = null;
        if (kind is { Length: > 0 })
        {
            if (!Enum.TryParse<DeliveryKind>(kind, ignoreCase: true, out var parsed))
                return TypedResults.Problem(statusCode: 400, title: "Unknown delivery kind.",
                    detail: $"kind must be one of: {string.Join(", ", Enum.GetNames<DeliveryKind>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");
            deliveryKind = parsed;
        }
        var order = sort?.ToLowerInvariant() switch
        {
            null or "" or "newest" => CatalogSort.Newest,
            "price" or "price-asc" => CatalogSort.PriceLow,
            "price-desc" => CatalogSort.PriceHigh,
            "title" => CatalogSort.Title,
            _ => (CatalogSort?)null,
        };
        if (order is null)
            return TypedResults.Problem(statusCode: 400, title: "Unknown sort order.", detail: "sort must be one of: newest, price, price-desc, title.");
        var items = await catalog.ListAsync(new CatalogQuery(deliveryKind, q, tag, order.Value), cancellationToken);
        return TypedResults.Ok(new CatalogPage(items, items.Count, await catalog.TagsAsync(cancellationToken)));
    }

    private static async Task<Results<Ok<ProductDetail>, ProblemHttpResult>> BySlugAsync(
        string slug, CatalogReadModel catalog, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var product = await catalog.BySlugAsync(slug, cancellationToken);
        if (product is not { Active: true })
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no product \"{slug}\". Browse the catalog at /api/products.");
        int? available = product.StockLimit is null ? null : (await grains.GetGrain<IInventoryGrain>(product.Id).GetAsync()).Available;
        return TypedResults.Ok(new ProductDetail(product, available));
    }
}

internal sealed record CatalogPage(IReadOnlyList<ProductView> Items, int Count, IReadOnlyList<string> Tags);

internal sealed record ProductDetail(ProductView Product, int? Available);
