using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

internal static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var deliveries = app.MapGroup("/api/deliveries").WithTags("Deliveries");
        deliveries.MapGet("/{id}", GetAsync).AllowAnonymous()
            .WithSummary("One delivery (\"{orderId}:{line}\") with its status and health. Whoever may read the order may read it.");
        return app;
    }

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var separator = id.LastIndexOf(':');
        if (separator <= 0) return NotFound(id);
        var order = await grains.Get<IOrderGrain>(id[..separator]).Get();
        if (order is null || !OrdersApi.MayRead(http, order)) return NotFound(id);
        var delivery = await grains.Get<IDeliveryGrain>(id).Get();
        return delivery is null ? NotFound(id) : TypedResults.Ok(delivery);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.",
            detail: $"There is no delivery {id} on this account. Open the order from your receipt e-mail, or sign in.");
}
