using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

/// <summary>The signed-in customer's own profile and notification preferences (the account pages' profile form).</summary>
internal static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfileApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Identity").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapPut("/profile", ChangeProfileAsync)
            .WithSummary("Changes the signed-in account's display name (1–100 characters); the e-mail address cannot be changed here.")
            .ProducesValidationProblem();
        me.MapGet("/preferences", GetPreferencesAsync)
            .WithSummary("The signed-in account's notification preferences: order e-mails, delivery e-mails, marketing e-mails.");
        me.MapGet("/export", ExportAsync)
            .WithSummary("Everything Courier holds about the signed-in person, as one JSON file to download: account, preferences, sessions, orders with deliveries and timelines, sign-in activity, kept e-mails and the audit log about them. Audited.")
            .Produces<PersonalData>();
        me.MapPost("/delete", DeleteAsync)
            .WithSummary("Deletes the signed-in account after its password and an explicit confirmation: sessions end, the profile is erased, orders keep only what was bought (for the seller's accounting), deliveries still in use are withdrawn, kept e-mails and sign-in activity go. Audited; cannot be undone.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        me.MapPut("/preferences", ChangePreferencesAsync)
            .WithSummary("Replaces the signed-in account's notification preferences; all three switches are required. Receipts for payments you make are always sent.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> ChangeProfileAsync(
        ProfileRequest request, HttpContext http, IGrainFactory grains)
    {
        if (RegistrationRules.DisplayNameProblem(request.DisplayName) is { } problem)
            return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["displayName"] = [problem] });
        if (await SignedInAccountAsync(http, grains) is not { } account) return AccountProblems.NotSignedIn();
        return TypedResults.Ok(MeResponse.From(await account.ChangeDisplayNameAsync(request.DisplayName!)));
    }

    private static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> GetPreferencesAsync(HttpContext http, IGrainFactory grains)
    {
        if (await SignedInAccountAsync(http, grains) is not { } account) return AccountProblems.NotSignedIn();
        return TypedResults.Ok(PreferencesResponse.From(await account.GetNotificationPreferencesAsync()));
    }

    private static async Task<Results<Ok<PreferencesResponse>, ValidationProblem, ProblemHttpResult>> ChangePreferencesAsync(
        PreferencesRequest request, HttpContext http, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.OrderEmails is null) errors["orderEmails"] = ["Say whether you want e-mails about your orders (true or false)."];
        if (request.DeliveryEmails is null) errors["deliveryEmails"] = ["Say whether you want e-mails about your deliveries (true or false)."];
        if (request.MarketingEmails is null) errors["marketingEmails"] = ["Say whether you want news and offers by e-mail (true or false)."];
        if (errors.Count > 0) return AccountProblems.Invalid(errors);
        if (await SignedInAccountAsync(http, grains) is not { } account) return AccountProblems.NotSignedIn();

        var saved = await account.UpdateNotificationPreferencesAsync(
            new NotificationPreferences(request.OrderEmails!.Value, request.DeliveryEmails!.Value, request.MarketingEmails!.Value));
        return TypedResults.Ok(PreferencesResponse.From(saved));
    }

    private static async Task<IResult> ExportAsync(HttpContext http, PersonalDataExport export, CancellationToken cancellationToken) =>
        http.AccountEmail() is { } email && http.AccountId() is { } id && await export.CollectAsync(email, id, cancellationToken) is { } data
            ? PersonalDataExport.AsDownload(http, data)
            : AccountProblems.NotSignedIn();

    private static async Task<Results<Ok<AccountDeletedResponse>, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        DeleteAccountRequest request, HttpContext http, IGrainFactory grains, PasswordConfirmation confirmation, AccountSessions sessions)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Enter your password to delete your account."];
        if (request.Confirm != true) errors["confirm"] = ["Confirm that you understand: your downloads and site access end, and this cannot be undone."];
        if (errors.Count > 0) return AccountProblems.Invalid(errors);
        if (await SignedInAccountAsync(http, grains) is not { } account) return AccountProblems.NotSignedIn();
        var (credentials, wait) = await confirmation.CheckAsync(http, account, request.Password!);
        if (wait is { } retryAfter) return AuthApi.TooMany(http, retryAfter, AuthApi.SignInAttempts);
        if (credentials is null)
            return AccountProblems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["password"] = ["That is not your password."] });
        await account.DeleteAsync(credentials.AccountId);
        await sessions.SignOutAsync(http);
        return TypedResults.Ok(new AccountDeletedResponse("Your account was deleted. Your orders are kept without your details for the store's accounting."));
    }

    /// <summary>The session's account grain, when the account still exists under the session's id.</summary>
    private static async Task<IAccountGrain?> SignedInAccountAsync(HttpContext http, IGrainFactory grains)
    {
        if (http.AccountId() is not { } id || http.AccountEmail() is not { } email) return null;
        var account = grains.GetGrain<IAccountGrain>(email);
        return (await account.GetAsync())?.Id == id ? account : null;
    }
}

public sealed record ProfileRequest(string? DisplayName);

public sealed record DeleteAccountRequest(string? Password, bool? Confirm);

public sealed record AccountDeletedResponse(string Message);

public sealed record PreferencesRequest(bool? OrderEmails, bool? DeliveryEmails, bool? MarketingEmails);

public sealed record PreferencesResponse(bool OrderEmails, bool DeliveryEmails, bool MarketingEmails)
{
    public static PreferencesResponse From(NotificationPreferences preferences) =>
        new(preferences.OrderEmails, preferences.DeliveryEmails, preferences.MarketingEmails);
}
