using System.Text;
using Courier.Silo.Adapters.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.Silo.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

internal static partial class WebhooksApi
{
    private const int MaxBodyBytes = 512 * 1024;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/stripe", ReceiveStripeAsync).WithTags("Webhooks").AllowAnonymous()
            .WithSummary("Stripe events, verified by Stripe-Signature on the raw body; each event is stored once and applied through the outbox.")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveStripeAsync(
        HttpRequest request, PaymentWebhookIngress ingress, CourierMetrics metrics, ILoggerFactory logs)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            metrics.WebhookRejected(WebhookRejectionReasons.TooLarge);
            return TypedResults.Problem(statusCode: 413, title: "Payload too large.", detail: $"Webhook bodies are limited to {MaxBodyBytes / 1024} KB.");
        }
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        try
        {
            var outcome = await ingress.ReceiveAsync(request.Headers[StripeWebhookReceiver.SignatureHeader], body);
            return TypedResults.Ok(new WebhookReceipt(outcome.ToString().ToLowerInvariant()));
        }
        catch (StripeWebhookRejectedException rejected) // counted by the ingress
        {
            LogRejected(logs.CreateLogger("Courier.Webhooks"), rejected.Message);
            return TypedResults.Problem(statusCode: 400, type: RuleViolationProblems.TypePrefix + "webhook-rejected",
                title: "Webhook rejected.", detail: rejected.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Stripe webhook: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

internal sealed record WebhookReceipt(string Outcome);
