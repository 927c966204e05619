using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;
using Courier.Silo.Deliveries;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

/// <summary>Delivery supplies and exceptions for admins: licence key uploads and extra downloads; both audited with the admin's id.</summary>
internal static class AdminDeliveriesApi
{
    public static IEndpointRouteBuilder MapAdminDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin")
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapPost("/products/{id}/license-keys", UploadKeysAsync)
            .WithSummary("Adds licence keys to a licence product's pool: {\"keys\": [\"…\"]}, at most 10,000 per upload. Keys the pool already knows and blank entries are skipped; one malformed key rejects the upload.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/products/{id}/license-keys", GetKeysAsync)
            .WithSummary("How many keys of a licence product's pool are available, allocated and disabled (never the keys themselves).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/deliveries/{id}/downloads", GrantDownloadsAsync)
            .WithSummary("Allows a download delivery more downloads than its product's limit: {\"extra\": 1–100, \"reason\": \"…\"}. The customer sees the reason on their timeline.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<LicenseKeyUpload>, ProblemHttpResult>> UploadKeysAsync(
        string id, LicenseKeysRequest? body, HttpContext http, IGrainFactory grains)
    {
        if (await LicenseProductProblemAsync(id, grains) is { } problem) return problem;
        if (body?.Keys is null)
            return TypedResults.Problem(statusCode: 400, type: RuleViolationProblems.TypePrefix + "invalid-license-keys", title: "The request is not valid.",
                detail: "Send a JSON body with the keys as a list of strings, e.g. {\"keys\": [\"ABCD-1234-EFGH-5678\"]}.");
        return TypedResults.Ok(await grains.GetGrain<ILicenseKeyPoolGrain>(id).UploadAsync(body.Keys, http.AccountId()!));
    }

    private static async Task<Results<Ok<LicenseKeyPoolView>, ProblemHttpResult>> GetKeysAsync(string id, IGrainFactory grains) =>
        await LicenseProductProblemAsync(id, grains) is { } problem ? problem : TypedResults.Ok(await grains.GetGrain<ILicenseKeyPoolGrain>(id).GetAsync());

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GrantDownloadsAsync(
        string id, DownloadGrantRequest? body, HttpContext http, IGrainFactory grains, DownloadLinks links)
    {
        var delivery = grains.GetGrain<IDeliveryGrain>(id);
        if (await delivery.GetAsync() is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no delivery {id}. Delivery ids look like \"ord_…:1\".");
        var view = await delivery.GrantDownloadsAsync(body?.Extra ?? 0, body?.Reason ?? "", http.AccountId()!);
        return TypedResults.Ok(await links.WithLinkAsync(view));
    }

    private static async Task<ProblemHttpResult?> LicenseProductProblemAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<IProductGrain>(id).GetAsync() switch
        {
            null => TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no product {id}."),
            { DeliveryKind: not DeliveryKind.LicenseKey } product => TypedResults.Problem(statusCode: 409,
                type: RuleViolationProblems.TypePrefix + "not-a-license-product", title: "This product has no licence keys.",
                detail: $"{product.Title} is delivered as {product.DeliveryKind}, not as a licence key. Change its delivery kind first, or upload the keys to a licence product."),
            _ => null,
        };
}

internal sealed record LicenseKeysRequest(IReadOnlyList<string>? Keys);

internal sealed record DownloadGrantRequest(int? Extra, string? Reason);
