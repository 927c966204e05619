using System.Security.Claims;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Apis;

/// <summary>The signed-in person's devices and password: list and end sessions, change the password (the account's security page).</summary>
internal static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Identity").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapGet("/sessions", ListAsync)
            .WithSummary("The account's signed-in devices: device, IP address, when the session started and was last used, and which one is this one.");
        me.MapDelete("/sessions/{id}", RevokeAsync)
            .WithSummary("Signs out one device; that session stops working at once on every node. Audited.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/sessions/revoke-others", RevokeOthersAsync)
            .WithSummary("Signs out every device but this one. Audited.");
        me.MapPut("/password", ChangePasswordAsync)
            .WithSummary("Changes the password (the current one is required; wrong ones count as failed sign-ins); every other device is signed out and the owner is e-mailed. Audited.")
            .WithDescription($"New password: {PasswordPolicy.MinLength}–{PasswordPolicy.MaxLength} characters, not a commonly used password.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<SessionResponse>>> ListAsync(HttpContext http, IGrainFactory grains, IOptions<SessionLifetimeOptions> options, TimeProvider clock)
    {
        var (account, current) = Signed(http, grains);
        var roles = http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var now = clock.GetUtcNow();
        var sessions = (await account.ListSessionsAsync())
            .Where(s => options.Value.EndingOf(s, roles, now) is null)
            .Select(s => new SessionResponse(s.Id, s.Device, s.IpAddress, s.StartedAt, s.LastSeenAt, s.Id == current))
            .OrderByDescending(s => s.Current)
            .ToList();
        return TypedResults.Ok<IReadOnlyList<SessionResponse>>(sessions);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (account, current) = Signed(http, grains);
        return await account.RevokeSessionAsync(id, current)
            ? TypedResults.NoContent()
            : TypedResults.Problem(
                type: "urn:courier:problem:session-not-found",
                title: "No such session",
                detail: "That device is already signed out (or the id is not one of your sessions). GET /api/me/sessions lists the signed-in devices.",
                statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<RevokedSessionsResponse>> RevokeOthersAsync(HttpContext http, IGrainFactory grains)
    {
        var (account, current) = Signed(http, grains);
        return TypedResults.Ok(new RevokedSessionsResponse(await account.RevokeOtherSessionsAsync(current)));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext http, IGrainFactory grains, AccountPasswords passwords, PasswordConfirmation confirmation, PasswordPolicy policy)
    {
        var (account, current) = Signed(http, grains);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(request.CurrentPassword)) errors["currentPassword"] = ["Enter your current password."];
        if (policy.Problem(request.NewPassword, http.AccountEmail()) is { } problem) errors["newPassword"] = [problem];
        if (errors.Count > 0) return AccountProblems.Invalid(errors);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (credentials, wait) = await confirmation.CheckAsync(http, account, request.CurrentPassword!);
            if (wait is { } retryAfter) return AuthApi.TooMany(http, retryAfter, AuthApi.SignInAttempts);
            if (credentials is null)
                return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal)
                {
                    ["currentPassword"] = ["That is not your current password."],
                });
            if (await account.ChangePasswordAsync(new PasswordChange(credentials.PasswordHash, passwords.Hash(request.NewPassword!), current)))
                return TypedResults.NoContent();
            // The hash changed between the check and the change (a rehash on sign-in): check again.
        }
        throw new InvalidOperationException("The password kept changing while it was being changed; try again.");
    }

    /// <summary>The signed-in account's grain and this request's session id (the endpoints require a validated session).</summary>
    private static (IAccountGrain Account, string SessionId) Signed(HttpContext http, IGrainFactory grains) =>
        (grains.GetGrain<IAccountGrain>(http.AccountEmail()!), http.User.FindFirstValue(AccountSessions.SessionClaim)!);
}

/// <param name="Current">True for the session this request was made with.</param>
public sealed record SessionResponse(string Id, string Device, string? IpAddress, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool Current);

public sealed record RevokedSessionsResponse(int SignedOut);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
