using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Accounts;

/// <summary>The problem details the account endpoints answer with; each has a stable <c>type</c>.</summary>
internal static class AccountProblems
{
    public const string ValidationType = "urn:courier:problem:validation";

    public static ProblemHttpResult InvalidCredentials() => TypedResults.Problem(
        type: "urn:courier:problem:invalid-credentials",
        title: "Sign-in failed",
        detail: "E-mail or password is incorrect.",
        statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult TooManyAttempts(int retryAfterSeconds) => TypedResults.Problem(
        type: "urn:courier:problem:too-many-sign-in-attempts",
        title: "Too many sign-in attempts",
        detail: $"There were too many failed sign-in attempts. For your security, please wait {Describe(retryAfterSeconds)} and try again.",
        statusCode: StatusCodes.Status429TooManyRequests);

    /// <param name="what">What there were too many of, e.g. "registrations".</param>
    public static ProblemHttpResult TooManyRequests(int retryAfterSeconds, string what) => TypedResults.Problem(
        type: "urn:courier:problem:too-many-requests",
        title: $"Too many {what}",
        detail: $"There were too many {what} from your network. Please wait {Describe(retryAfterSeconds)} and try again.",
        statusCode: StatusCodes.Status429TooManyRequests);

    public static ProblemHttpResult EmailTaken() => TypedResults.Problem(
        type: "urn:courier:problem:email-taken",
        title: "E-mail already registered",
        detail: "An account with this e-mail address already exists. Sign in instead, or use another address.",
        statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult NotSignedIn() => TypedResults.Problem(
        type: "urn:courier:problem:not-signed-in",
        title: "Not signed in",
        detail: "Sign in with POST /api/auth/login to use this.",
        statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult Forbidden() => TypedResults.Problem(
        type: "urn:courier:problem:forbidden",
        title: "Not allowed",
        detail: "Your account does not have the role this needs.",
        statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult InvalidAntiforgeryToken() => TypedResults.Problem(
        type: "urn:courier:problem:antiforgery",
        title: "Missing or invalid anti-forgery token",
        detail: "Missing or invalid anti-forgery token. Send the value of the XSRF-TOKEN cookie in the X-XSRF-TOKEN header; " +
                "this response carries a fresh XSRF-TOKEN cookie to retry with.",
        statusCode: StatusCodes.Status400BadRequest);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors,
        type: ValidationType,
        title: "Some fields need attention",
        detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    private static string Describe(int seconds) =>
        seconds < 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";
}
