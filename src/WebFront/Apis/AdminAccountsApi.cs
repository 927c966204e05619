using Courier.Silo.Accounts;
using Courier.WebFront.Accounts;
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
        return app;
    }

    private static async Task<Ok<AccountListResponse>> SearchAsync(AccountDirectory directory, CancellationToken cancellationToken, string? query = null, int limit = 50)
    {
        var rows = await directory.SearchAsync(query, limit, cancellationToken);
        return TypedResults.Ok(new AccountListResponse(
            [.. rows.Select(r => new AccountListItem(r.Id, r.Email, r.DisplayName, r.Roles, r.CreatedAt))]));
    }
}

public sealed record AccountListResponse(IReadOnlyList<AccountListItem> Items);

public sealed record AccountListItem(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);
