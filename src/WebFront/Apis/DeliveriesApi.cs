using System.Globalization;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Silo.Deliveries;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

internal static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var deliveries = app.MapGroup("/api/deliveries").WithTags("Deliveries").RequireOrderAccess(isDeliveryId: true, NotFound);
        deliveries.MapGet("/{id}", GetAsync).AllowAnonymous()
            .WithSummary("One delivery (\"{orderId}:{line}\") with its status, health, downloads used and left, the current download link and the self-service actions available now. Whoever may read the order may read it.");
        deliveries.MapPost("/{id}/links", NewLinkAsync).AllowAnonymous()
            .WithSummary("Makes a new download link; the previous one stops working at once. The order's owner may ask 5 times per hour per delivery (429 with Retry-After beyond that).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        deliveries.MapPost("/{id}/resend", ResendAsync).AllowAnonymous()
            .WithSummary("Sends the delivery e-mail again (a download's with a new link; older links stop working). The order's owner may ask 5 times per hour per delivery (429 with Retry-After beyond that).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IGrainFactory grains, DownloadLinks links)
    {
        var delivery = grains.GetGrain<IDeliveryGrain>(id);
        var view = await delivery.GetAsync();
        return view is null ? NotFound(id) : TypedResults.Ok(await links.WithLinkAsync(view));
    }

    private static async Task<Results<Ok<SelfServiceResponse>, ProblemHttpResult>> NewLinkAsync(string id, HttpContext http, IGrainFactory grains, DownloadLinks links, TimeProvider clock)
    {
        var delivery = grains.GetGrain<IDeliveryGrain>(id);
        if (await delivery.GetAsync() is null) return NotFound(id);
        return await RespondAsync(await delivery.NewDownloadLinkAsync(Requester(http)), delivery, id, http, links, clock);
    }

    private static async Task<Results<Ok<SelfServiceResponse>, ProblemHttpResult>> ResendAsync(string id, HttpContext http, IGrainFactory grains, DownloadLinks links, TimeProvider clock)
    {
        var delivery = grains.GetGrain<IDeliveryGrain>(id);
        if (await delivery.GetAsync() is null) return NotFound(id);
        return await RespondAsync(await delivery.ResendDeliveryEmailAsync(Requester(http)), delivery, id, http, links, clock);
    }

    private static async Task<Results<Ok<SelfServiceResponse>, ProblemHttpResult>> RespondAsync(
        SelfServiceResult result, IDeliveryGrain delivery, string id, HttpContext http, DownloadLinks links, TimeProvider clock)
    {
        switch (result.Outcome)
        {
            case SelfServiceOutcome.RateLimited:
                var wait = (result.RetryAt ?? clock.GetUtcNow()) - clock.GetUtcNow();
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: 429, type: RuleViolationProblems.TypePrefix + "self-service-rate-limited",
                    title: "Please wait a little.", detail: result.Message,
                    extensions: new Dictionary<string, object?> { ["retryAt"] = result.RetryAt });
            case SelfServiceOutcome.NotAvailable:
                return TypedResults.Problem(statusCode: 409, type: RuleViolationProblems.TypePrefix + "self-service-unavailable",
                    title: "That is not possible for this delivery.", detail: result.Message);
        }
        var view = await links.WithLinkAsync((await delivery.GetAsync())!);
        var link = result.Link is { } grant
            ? new DownloadLinkView(grant.LinkId, grant.ExpiresAt, false, await links.PathAsync(id, grant))
            : null;
        return TypedResults.Ok(new SelfServiceResponse(result.Message, link, view));
    }

    private static SelfServiceRequest Requester(HttpContext http) =>
        new(http.AccountId() ?? "guest", http.Connection.RemoteIpAddress?.ToString());

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.",
            detail: $"There is no delivery {id} on this account. Open the order from your receipt e-mail, or sign in.");
}

/// <param name="Message">What happened, in words for the customer.</param>
/// <param name="Link">The new download link, when the action made one.</param>
/// <param name="Delivery">The delivery as it is now.</param>
internal sealed record SelfServiceResponse(string Message, DownloadLinkView? Link, DeliveryView Delivery);
