using System.Globalization;
using System.Security.Claims;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Courier.Silo.Accounts;
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
            .WithSummary("Ends the session on the server (a copy of the cookie stops working too) and removes the session cookie.");
        auth.MapPost("/password-reset", RequestPasswordResetAsync)
            .WithSummary("E-mails a single-use link to choose a new password, valid 30 minutes; 202 whether or not an account uses the address.")
            .WithDescription("A newer link replaces an older one. At most 3 e-mails per address and 10 requests per client address an hour (429 with Retry-After beyond that).")
            .Produces<PasswordResetRequested>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/password-reset/confirm", ConfirmPasswordResetAsync)
            .WithSummary("Sets a new password with the token from the reset e-mail: every session of the account ends, the owner is e-mailed, and this client is signed in.")
            .WithDescription("400 for a used, replaced, expired or forged token, and for a password the policy refuses.");

        app.MapGet("/api/me", MeAsync)
            .WithTags("Identity")
            .WithSummary("The signed-in account and its roles; 401 when anonymous.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization();
        return app;
    }

    private static async Task<Results<Created<MeResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, HttpContext context, RegistrationRules rules, AccountRegistrar registrar, AccountSessions sessions,
        SignInThrottle throttle, SignInActivity activity)
    {
        var errors = rules.Check(request.Email, request.Password, request.DisplayName);
        if (errors.Count > 0) return AccountProblems.Invalid(errors);
        var clientAddress = ClientAddress(context);
        if (await throttle.RegistrationRetryAfterAsync(clientAddress) is { } wait) return TooMany(context, wait, "registrations");
        await activity.RecordAsync(SignInActivityKinds.Registered, AccountEmail.Normalize(request.Email!), clientAddress);

        var result = await registrar.RegisterAsync(request.Email!, request.DisplayName!, request.Password!, [Roles.Customer], registeredBy: null);
        if (result is not { Outcome: RegistrationOutcome.Registered, Account: { } account }) return AccountProblems.EmailTaken();

        await sessions.SignInAsync(context, account, byRegistration: true);
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
        var clientAddress = ClientAddress(context);
        if (await throttle.RetryAfterAsync(email, clientAddress) is { } wait) return TooMany(context, wait, SignInAttempts);

        var account = grains.GetGrain<IAccountGrain>(email);
        var credentials = await account.GetCredentialsAsync();
        var verdict = passwords.Verify(credentials?.PasswordHash, request.Password!);
        if (credentials is null || verdict == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(email, clientAddress);
            return AccountProblems.InvalidCredentials();
        }

        await throttle.RecordSuccessAsync(email, clientAddress);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await account.UpgradePasswordHashAsync(credentials.PasswordHash, passwords.Hash(request.Password!));
        var view = await account.GetAsync();
        if (view is null) return AccountProblems.InvalidCredentials();
        await sessions.SignInAsync(context, view);
        return TypedResults.Ok(MeResponse.From(view));
    }

    private static async Task<Results<Accepted<PasswordResetRequested>, ValidationProblem, ProblemHttpResult>> RequestPasswordResetAsync(
        PasswordResetEmailRequest request, HttpContext context, IGrainFactory grains, SignInThrottle throttle, SignInActivity activity, TimeProvider clock)
    {
        if (RegistrationRules.EmailProblem(request.Email) is { } problem)
            return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["email"] = [problem] });
        var clientAddress = ClientAddress(context);
        if (await throttle.ResetRequestRetryAfterAsync(clientAddress) is { } wait) return TooMany(context, wait, "password-reset requests");

        var email = AccountEmail.Normalize(request.Email!);
        await activity.RecordAsync(SignInActivityKinds.ResetRequested, email, clientAddress);
        var resetId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        // The answer is the same whatever the outcome: it must not tell whether the address has an account.
        await grains.GetGrain<IAccountGrain>(email).RequestPasswordResetAsync(
            new PasswordResetRequest(resetId, clock.GetUtcNow() + PasswordResetLifetime, clientAddress));
        return TypedResults.Accepted((string?)null, new PasswordResetRequested(
            $"If an account uses {request.Email!.Trim()}, we have e-mailed it a link to choose a new password. The link works once, for {PasswordResetLifetime.TotalMinutes:0} minutes."));
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> ConfirmPasswordResetAsync(
        PasswordResetConfirmation request, HttpContext context, IGrainFactory grains, PasswordResetLinks links, AccountDirectory accounts,
        PasswordPolicy policy, AccountPasswords passwords, AccountSessions sessions)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(request.Token)) errors["token"] = ["Open the link from the reset e-mail; it carries the token."];
        if (errors.Count > 0) return AccountProblems.Invalid(errors);
        var token = await links.ReadAsync(request.Token, context.RequestAborted);
        var email = token is null ? null : await accounts.EmailOfAsync(token.AccountId, context.RequestAborted);
        if (token is null || email is null) return ResetLinkProblem("This reset link is not valid. Check that you opened the whole link from the e-mail, or ask for a new one.");
        if (policy.Problem(request.Password, email) is { } problem)
            return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["password"] = [problem] });

        var account = grains.GetGrain<IAccountGrain>(email);
        switch (await account.ResetPasswordAsync(token.ResetId, passwords.Hash(request.Password!)))
        {
            case PasswordResetOutcome.Expired:
                return ResetLinkProblem($"This reset link has expired (links work for {PasswordResetLifetime.TotalMinutes:0} minutes). Ask for a new one.");
            case PasswordResetOutcome.NotValid:
                return ResetLinkProblem("This reset link was already used, or a newer one was sent since. Use the newest e-mail, or ask for a new link.");
        }
        var view = await account.GetAsync();
        if (view is null) return ResetLinkProblem("This reset link is not valid. Ask for a new one.");
        await sessions.SignInAsync(context, view);
        return TypedResults.Ok(MeResponse.From(view));
    }

    private static ProblemHttpResult ResetLinkProblem(string detail) => TypedResults.Problem(
        type: "urn:courier:problem:invalid-reset-link",
        title: "Reset link not usable",
        detail: detail + " New links: /forgot-password.",
        statusCode: StatusCodes.Status400BadRequest);

    /// <summary>429 with Retry-After in whole seconds.</summary>
    internal static ProblemHttpResult TooMany(HttpContext context, TimeSpan wait, string what)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return what == SignInAttempts ? AccountProblems.TooManyAttempts(seconds) : AccountProblems.TooManyRequests(seconds, what);
    }

    internal const string SignInAttempts = "sign-in attempts";

    private static string ClientAddress(HttpContext context) => AccountSessions.ClientAddress(context) ?? "unknown";

    /// <summary>How long a password-reset link works.</summary>
    internal static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromMinutes(30);

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

public sealed record PasswordResetEmailRequest(string? Email);

public sealed record PasswordResetConfirmation(string? Token, string? Password);

/// <param name="Message">What to tell the person, the same whether or not the address has an account.</param>
public sealed record PasswordResetRequested(string Message);

/// <summary>The signed-in account as the pages see it.</summary>
public sealed record MeResponse(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles)
{
    public static MeResponse From(AccountView account) => new(account.Id, account.Email, account.DisplayName, account.Roles);
}
