using System.Globalization;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Abstractions.SiteAccess;
using Courier.Silo.SiteAccess;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

/// <summary>
/// A hosted-site delivery's sign-in, for whoever may read its order (its customer, or the browser
/// that placed a guest order) and admins; anyone else gets 404. Every look and every change is
/// audited; answers are never cached.
/// </summary>
internal static class SiteCredentialsApi
{
    public static IEndpointRouteBuilder MapSiteCredentialsApi(this IEndpointRouteBuilder app)
    {
        var credentials = app.MapGroup("/api/deliveries/{id}/credentials").WithTags("Deliveries").AllowAnonymous()
            .RequireOrderAccess(isDeliveryId: true, NotFound)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);
        credentials.MapGet("", RevealAsync)
            .WithSummary("The hosted site's sign-in (username, password, login address) for the order's owner or an admin; each look is audited. 409 while the site is being set up, 410 once access was withdrawn.");
        credentials.MapPost("/rotate", RotateAsync)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Sets a new password for the hosted site and returns the new sign-in; the old password stops working at once, signed-in sessions included. Up to 5 per hour per delivery (then 429 with Retry-After); journaled on the order's timeline and audited.");
        return app;
    }

    private static async Task<Results<Ok<RevealedSiteCredentials>, ProblemHttpResult>> RevealAsync(
        string id, HttpContext http, IGrainFactory grains, SiteAccessSelfService selfService)
    {
        if (await SiteDeliveryAsync(id, http, grains) is not { } order) return NotFound(id);
        NeverCache(http);
        return TypedResults.Ok(Absolute(await selfService.RevealAsync(id, Actor(http, order)), http));
    }

    private static async Task<Results<Ok<RevealedSiteCredentials>, ProblemHttpResult>> RotateAsync(
        string id, HttpContext http, IGrainFactory grains, SiteAccessSelfService selfService, CancellationToken cancellationToken)
    {
        if (await SiteDeliveryAsync(id, http, grains) is not { } order) return NotFound(id);
        NeverCache(http);
        var byStaff = http.User.IsInRole("admin") && order.AccountId != http.AccountId();
        var rotation = await selfService.RotateAsync(id, Actor(http, order), byStaff, cancellationToken);
        if (rotation.RetryAfter is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, type: RuleViolationProblems.TypePrefix + "rotation-limit",
                title: "Too many password changes.",
                detail: $"A new password was requested {SiteAccessLimits.RotationsPerWindow} times in the last hour for this site. "
                    + $"To keep your site safe, the next change is possible in {Describe(seconds)}; your current password keeps working until then.");
        }
        if (rotation.Error is { } error)
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, type: RuleViolationProblems.TypePrefix + "site-host-unavailable",
                title: "The password could not be changed right now.",
                detail: $"{error} Your current password still works; try again in a few minutes.");
        return TypedResults.Ok(Absolute(rotation.Credentials!, http));
    }

    /// <summary>The (already authorized) order when <paramref name="id"/> is a site-access delivery; null (answered with 404) for any other kind.</summary>
    private static async Task<OrderView?> SiteDeliveryAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var delivery = await grains.GetGrain<IDeliveryGrain>(id).GetAsync();
        return delivery?.Kind == DeliveryKind.SiteAccess ? http.AuthorizedOrder() : null;
    }

    /// <summary>Who is acting, for the audit log: the signed-in account, or the guest order's browser.</summary>
    private static string Actor(HttpContext http, OrderView order) => http.AccountId() ?? $"guest:{order.Id}";

    private static RevealedSiteCredentials Absolute(RevealedSiteCredentials credentials, HttpContext http) =>
        credentials.LoginUrl.StartsWith('/')
            ? credentials with { LoginUrl = $"{http.Request.Scheme}://{http.Request.Host}{credentials.LoginUrl}" }
            : credentials;

    private static void NeverCache(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
    }

    private static string Describe(int seconds) =>
        seconds < 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.",
            detail: $"There is no hosted-site delivery {id} on this account. Open the order from your receipt e-mail, or sign in.");
}
