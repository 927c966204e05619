using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Grains.Deliveries;
using Courier.Abstractions.Runtime;
using Courier.Silo.Commerce;
using Courier.Silo.Deliveries;
using Courier.WebFront.Accounts;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.WebFront.Apis;

internal static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireOrderAccess(isDeliveryId: false, NotFound);
        orders.MapGet("/", ListAsync).RequireAuthorization().WithSummary("The signed-in customer's orders, newest first.");
        orders.MapGet("/{id}", GetAsync).AllowAnonymous()
            .WithSummary("An order with its lines, payment and timeline. Its owner, or the browser that placed it as a guest, may read it.");
        orders.MapPost("/{id}/cancel", CancelAsync).AllowAnonymous().WithSummary("Cancels an unpaid order; its stock returns.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<OrderSummary>>> ListAsync(HttpContext http, OrdersReadModel orders, CancellationToken cancellationToken) =>
        TypedResults.Ok(await orders.ForAccountAsync(http.AccountId()!, cancellationToken));

    private static async Task<Results<Ok<OrderDetail>, ProblemHttpResult>> GetAsync(
        string id, HttpContext http, IGrainFactory grains, OrdersReadModel orders, DownloadLinks links, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await DetailAsync(http.AuthorizedOrder(), grains, orders, links, cancellationToken));
    }

    /// <summary>The order as its reader sees it (this endpoint and the order page): deliveries with their current download links, and the timeline.</summary>
    internal static async Task<OrderDetail> DetailAsync(OrderView order, IGrainFactory grains, OrdersReadModel orders, DownloadLinks links, CancellationToken cancellationToken)
    {
        var deliveries = await Task.WhenAll((await DeliveriesOf(grains, order)).Select(d => links.WithLinkAsync(d, cancellationToken)));
        return new OrderDetail(order, deliveries, await orders.TimelineAsync(order.Id, order.Lines.Count, cancellationToken));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> CancelAsync(string id, HttpContext http, IGrainFactory grains)
    {
        return TypedResults.Ok(await grains.GetGrain<IOrderGrain>(http.AuthorizedOrder().Id).CancelAsync("cancelled by the customer"));
    }

    /// <summary>The order's started deliveries, one per line, in line order.</summary>
    internal static async Task<IReadOnlyList<DeliveryView>> DeliveriesOf(IGrainFactory grains, OrderView order)
    {
        var views = await Task.WhenAll(Enumerable.Range(1, order.Lines.Count)
            .Select(line => grains.GetGrain<IDeliveryGrain>(new DeliveryId(order.Id, line).ToString()).GetAsync()));
        return [.. views.OfType<DeliveryView>()];
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"There is no order {id} on this account. Check the link in your receipt e-mail, or sign in.");
}

internal sealed record OrderDetail(OrderView Order, IReadOnlyList<DeliveryView> Deliveries, IReadOnlyList<TimelineEntry> Timeline);
