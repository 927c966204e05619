using Courier.Silo.Accounts;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

internal static class AdminAccountsApi
{
    public static IEndpointRouteBuilder MapAdminAccountsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/accounts")
            .WithTags("Admin")
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("", SearchAsync)
            .WithSummary("Lists accounts, newest first; `query` matches e-mail or display name. Admins only.");
        admin.MapPost("/{id}/delete", DeleteAsync)
            .WithSummary("Deletes account `id` on the person's request, as they could themselves (body {\"confirm\": true}). Admins only; audited with the admin's id; cannot be undone.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/{id}/export", ExportAsync)
            .WithSummary("Everything Courier holds about account `id`, as the person would download it themselves — for a data request made to the store. Admins only; audited with the admin's id.")
            .Produces<PersonalData>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/admin/security/sign-ins", SuspiciousSignInsAsync)
            .WithTags("Admin")
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Suspicious sign-in activity of the last `hours` (default 24, at most 720): accounts and client addresses with bursts of failed sign-ins, and accounts signed in from many addresses. Admins only.")
            .WithDescription($"Listed from {SuspiciousFailures} failures per account or address, and from {SuspiciousAddresses} different addresses per account.");
        return app;
    }

    internal const int SuspiciousFailures = 5;
    internal const int SuspiciousAddresses = 3;

    private static async Task<Results<Ok<SuspiciousSignInsResponse>, ValidationProblem>> SuspiciousSignInsAsync(
        SignInActivity activity, CancellationToken cancellationToken, int hours = 24)
    {
        if (hours is < 1 or > 720)
            return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["hours"] = ["Give a number of hours from 1 to 720."] });
        var found = await activity.SuspiciousAsync(TimeSpan.FromHours(hours), SuspiciousFailures, SuspiciousAddresses, cancellationToken);
        return TypedResults.Ok(new SuspiciousSignInsResponse(hours, found));
    }

    private static async Task<IResult> DeleteAsync(string id, AdminDeleteAccountRequest request, HttpContext http, AccountDirectory directory,
        IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (request.Confirm != true)
            return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["confirm"] = ["Send {\"confirm\": true}: deleting an account cannot be undone."] });
        if (await directory.EmailOfAsync(id, cancellationToken) is not { } email
            || await grains.GetGrain<Courier.Abstractions.Accounts.IAccountGrain>(email).DeleteAsync(http.AccountId()!) is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no account {id}. Find the account id with GET /api/admin/accounts?query=….");
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ExportAsync(string id, HttpContext http, AccountDirectory directory, PersonalDataExport export, CancellationToken cancellationToken) =>
        await directory.EmailOfAsync(id, cancellationToken) is { } email && await export.CollectAsync(email, http.AccountId()!, cancellationToken) is { } data
            ? PersonalDataExport.AsDownload(http, data)
            : TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no account {id}. Find the account id with GET /api/admin/accounts?query=….");

    private static async Task<Ok<AccountListResponse>> SearchAsync(AccountDirectory directory, CancellationToken cancellationToken, string? query = null, int limit = 50)
    {
        var rows = await directory.SearchAsync(query, limit, cancellationToken);
        return TypedResults.Ok(new AccountListResponse(
            [.. rows.Select(r => new AccountListItem(r.Id, r.Email, r.DisplayName, r.Roles, r.CreatedAt))]));
    }
}

public sealed record AdminDeleteAccountRequest(bool? Confirm);

public sealed record SuspiciousSignInsResponse(int Hours, IReadOnlyList<SuspiciousSignInActivity> Items);

public sealed record AccountListResponse(IReadOnlyList<AccountListItem> Items);

public sealed record AccountListItem(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);
