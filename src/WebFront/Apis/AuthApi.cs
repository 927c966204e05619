using System.Globalization;
using System.Security.Claims;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Courier.WebFront.Apis;

internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        // 400 covers the anti-forgery refusal as well as invalid bodies.
        var auth = app.MapGroup("/api/auth").WithTags("Identity").ProducesProblem(StatusCodes.Status400BadRequest);
        auth.MapPost("/register", RegisterAsync)
            .WithSummary("Creates a customer account and signs it in (session cookie).")
            .WithDescription($"Password: {PasswordPolicy.MinLength}–{PasswordPolicy.MaxLength} characters, not a commonly used password. 409 when the e-mail is taken.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapPost("/login", LoginAsync)
            .WithSummary("Signs in with e-mail and password (session cookie).")
            .WithDescription("401 when e-mail or password is wrong (the same answer for both); 429 with Retry-After after too many failures for the account or the client address.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", LogoutAsync)
            .WithSummary("Ends the session (removes the session cookie).");

        app.MapGet("/api/me", MeAsync)
            .WithTags("Identity")
            .WithSummary("The signed-in account and its roles; 401 when anonymous.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization();
        return app;
    }

    private static async Task<Results<Created<MeResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, HttpContext context, RegistrationRules rules, AccountRegistrar registrar, AccountSessions sessions)
    {
        var errors = rules.Check(request.Email, request.Password, request.DisplayName);
        if (errors.Count > 0) return AccountProblems.Invalid(errors);

        var result = await registrar.RegisterAsync(request.Email!, request.DisplayName!, request.Password!, [Roles.Customer], registeredBy: null);
        if (result is not { Outcome: RegistrationOutcome.Registered, Account: { } account }) return AccountProblems.EmailTaken();

        await sessions.SignInAsync(context, account);
        return TypedResults.Created("/api/me", MeResponse.From(account));
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext context, IGrainFactory grains, AccountPasswords passwords, SignInThrottle throttle, AccountSessions sessions)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Enter your e-mail address."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Enter your password."];
        if (errors.Count > 0) return AccountProblems.Invalid(errors);

        var email = AccountEmail.Normalize(request.Email!);
        var clientAddress = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(email, clientAddress) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return AccountProblems.TooManyAttempts(seconds);
        }

        var account = grains.GetGrain<IAccountGrain>(email);
        var credentials = await account.GetCredentialsAsync();
        var verdict = passwords.Verify(credentials?.PasswordHash, request.Password!);
        if (credentials is null || verdict == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(email, clientAddress);
            return AccountProblems.InvalidCredentials();
        }

        throttle.RecordSuccess(email);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await account.UpgradePasswordHashAsync(credentials.PasswordHash, passwords.Hash(request.Password!));
        var view = await account.GetAsync();
        if (view is null) return AccountProblems.InvalidCredentials();
        await sessions.SignInAsync(context, view);
        return TypedResults.Ok(MeResponse.From(view));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, AccountSessions sessions)
    {
        await sessions.SignOutAsync(context);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> MeAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var email = user.FindFirstValue(ClaimTypes.Email);
        if (id is null || email is null) return AccountProblems.NotSignedIn();
        var account = await grains.GetGrain<IAccountGrain>(email).GetAsync();
        return account is not null && account.Id == id
            ? TypedResults.Ok(MeResponse.From(account))
            : AccountProblems.NotSignedIn();
    }
}

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

/// <summary>The signed-in account as the pages see it.</summary>
public sealed record MeResponse(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles)
{
    public static MeResponse From(AccountView account) => new(account.Id, account.Email, account.DisplayName, account.Roles);
}
