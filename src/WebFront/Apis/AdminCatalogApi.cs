using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Runtime;
using Courier.Silo.Commerce;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Courier.WebFront.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

/// <summary>Catalog and coupon management for admins; every change is audited with the admin's id.</summary>
internal static class AdminCatalogApi
{
    public static IEndpointRouteBuilder MapAdminCatalogApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin")
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("/products", ListAsync).WithSummary("Every product, archived ones included.");
        admin.MapPost("/products", CreateAsync).WithSummary("Creates a product; 409 when the slug is taken.");
        admin.MapPut("/products/{id}", UpdateAsync).WithSummary("Replaces a product's details.");
        admin.MapPost("/products/{id}/archive", ArchiveAsync).WithSummary("Takes a product off sale; existing orders are unaffected.");
        admin.MapPut("/coupons/{code}", SaveCouponAsync).WithSummary("Creates or replaces a coupon code.");
        admin.MapGet("/coupons/{code}", GetCouponAsync).WithSummary("A coupon with how often it was used.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ProductView>>> ListAsync(CatalogReadModel catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(new CatalogQuery(null, null, null, CatalogSort.Newest, IncludeArchived: true), cancellationToken));

    private static async Task<Results<Created<ProductView>, ProblemHttpResult>> CreateAsync(
        ProductRequest body, HttpContext http, IGrainFactory grains, CatalogReadModel catalog, CancellationToken cancellationToken)
    {
        if (await catalog.BySlugAsync(body.Slug, cancellationToken) is not null)
            return SlugTaken(body.Slug);
        var id = "prod_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        try
        {
            var product = await grains.GetGrain<IProductGrain>(id).SaveAsync(body.ToDraft(), http.AccountId());
            return TypedResults.Created($"/api/products/{product.Slug}", product);
        }
        catch (RuleViolationException taken) when (taken.Code == SlugTakenCode)
        {
            return SlugTaken(body.Slug); // another admin created it between the check above and the save
        }
    }

    private static async Task<Results<Ok<ProductView>, ProblemHttpResult>> UpdateAsync(
        string id, ProductRequest body, HttpContext http, IGrainFactory grains, CatalogReadModel catalog, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IProductGrain>(id);
        if (await grain.GetAsync() is null) return NotFound(id);
        if (await catalog.BySlugAsync(body.Slug, cancellationToken) is { } other && other.Id != id) return SlugTaken(body.Slug);
        try
        {
            return TypedResults.Ok(await grain.SaveAsync(body.ToDraft(), http.AccountId()));
        }
        catch (RuleViolationException taken) when (taken.Code == SlugTakenCode)
        {
            return SlugTaken(body.Slug);
        }
    }

    private static async Task<Results<Ok<ProductView>, ProblemHttpResult>> ArchiveAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IProductGrain>(id);
        if (await grain.GetAsync() is null) return NotFound(id);
        return TypedResults.Ok(await grain.ArchiveAsync(http.AccountId()));
    }

    private static async Task<Ok<CouponView>> SaveCouponAsync(string code, CouponDraft body, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICouponGrain>(code.Trim().ToUpperInvariant()).SaveAsync(body, http.AccountId()));

    private static async Task<Results<Ok<CouponView>, ProblemHttpResult>> GetCouponAsync(string code, IGrainFactory grains) =>
        await grains.GetGrain<ICouponGrain>(code.Trim().ToUpperInvariant()).GetAsync() is { } coupon
            ? TypedResults.Ok(coupon)
            : TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no coupon {code}.");

    private const string SlugTakenCode = "slug-taken";

    private static ProblemHttpResult SlugTaken(string slug) => TypedResults.Problem(statusCode: 409, type: RuleViolationProblems.TypePrefix + SlugTakenCode,
        title: "That address is taken.", detail: $"Another product already uses the slug \"{slug}\". Choose another.");

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no product {id}.");
}

/// <summary>A product as an admin submits it. Price is minor units; SLA in seconds; DownloadLimit per purchase (empty: the store's default).</summary>
internal sealed record ProductRequest(
    [property: StringLength(80, MinimumLength = 3, ErrorMessage = "Give slug: 3–80 lowercase letters, digits and hyphens, e.g. \"aurora-saas\".")] string Slug,
    [property: StringLength(120, MinimumLength = 1, ErrorMessage = "Give title: 1–120 characters.")] string Title,
    [property: StringLength(300, ErrorMessage = "Keep summary to at most 300 characters.")] string? Summary,
    [property: StringLength(20_000, ErrorMessage = "Keep descriptionMarkdown to at most 20,000 characters.")] string? DescriptionMarkdown,
    [property: MaxLength(20, ErrorMessage = "Give at most 20 images."), EachLength(1, 500)] IReadOnlyList<string>? Images,
    Money Price,
    DeliveryKind DeliveryKind,
    [property: Range(0, 1_000_000, ErrorMessage = "Give stockLimit from 0 to 1,000,000, or leave it out for no limit.")] int? StockLimit,
    [property: Range(10, 604_800, ErrorMessage = "Give deliverySlaSeconds from 10 seconds to 7 days (604800).")] int? DeliverySlaSeconds,
    [property: MaxLength(30, ErrorMessage = "Give at most 30 tags."), EachLength(1, 40)] IReadOnlyList<string>? Tags,
    bool? Active,
    [property: Range(1, 1000, ErrorMessage = "Allow between 1 and 1,000 downloads per purchase, or leave downloadLimit out for the store's default.")] int? DownloadLimit = null)
{
    public ProductDraft ToDraft() => new(
        Slug ?? "", Title ?? "", Summary ?? "", DescriptionMarkdown ?? "", Images ?? [], Price with { Currency = Price.Currency?.ToLowerInvariant() ?? "" },
        DeliveryKind, StockLimit, DeliverySlaSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, Tags ?? [], Active ?? true,
        DownloadLimit: DownloadLimit);
}
