using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;
using Microsoft.AspNetCore.Diagnostics;

namespace Courier.WebFront.Apis;

/// <summary>Turns business-rule refusals and grain-runtime trouble into problem details with a message that says what to do.</summary>
internal sealed class RuleViolationProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public const string TypePrefix = "https://courier.dev/problems/";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, type, title, detail, extensions) = exception switch
        {
            RuleViolationException rule => (rule.Status, rule.Code, Title(rule.Status), rule.Message, rule.Details),
            BadHttpRequestException bad => (bad.StatusCode, "bad-request", "The request could not be read.",
                $"{bad.Message}{(bad.InnerException is System.Text.Json.JsonException json ? (json.Path is { } at ? $" At {at}: {json.Message}" : $" {json.Message}") : "")} Send JSON matching the documented schema (see /openapi/v1.json).", null),
            Courier.Grains.Payments.PaymentGatewayException payment => (StatusCodes.Status502BadGateway, "payment-provider",
                "The payment provider did not answer as expected.",
                payment.IsRetryable ? "Nothing was charged. Try again in a moment; your cart and reserved items are kept." : "Nothing was charged. The payment page could not be opened; contact the store if this persists.", null),
            GrainConflictException => (StatusCodes.Status409Conflict, "busy", "Too many simultaneous changes.", "Several changes raced for the same record; try again.", null),
            TimeoutException => (StatusCodes.Status503ServiceUnavailable, "timeout", "This took too long.", "The request timed out inside Courier; try again in a moment.", null),
            OrleansMessageRejectionException => (StatusCodes.Status503ServiceUnavailable, "node-unavailable", "Courier is moving work off a node that stopped.",
                "A Courier node stopped answering and its work is moving to the others. Nothing was changed; try again in a few seconds.", null),
            _ when Courier.Silo.Storage.DatabaseOutage.IsCause(exception) => (StatusCodes.Status503ServiceUnavailable, "database-unavailable",
                "Courier is reconnecting to its database.",
                "Courier lost its connection to the database for a moment (a restart or a failover) and is reconnecting. Nothing was changed; try again in a few seconds.", null),
            _ => (0, "", "", "", (IReadOnlyDictionary<string, object?>?)null),
        };
        if (status == 0) return false;

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) httpContext.Response.Headers.RetryAfter = "5";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Type = TypePrefix + type, Title = title, Detail = detail };
        if (extensions is not null)
            foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string Title(int status) => status switch
    {
        400 => "The request is not valid.",
        404 => "Not found.",
        409 => "That cannot be done right now.",
        429 => "Too many requests.",
        _ => "The request was refused.",
    };
}
