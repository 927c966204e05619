using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Silo.Commerce;
using Courier.Silo.Deliveries;
using Courier.WebFront.Accounts;
using Courier.WebFront.Apis;

namespace Courier.WebFront.Pages.Account;

/// <summary>An order in a list: what was bought (from the order), how its deliveries stand (from the read model).</summary>
public sealed record OrderCard(OrderView Order, IReadOnlyList<DeliverySummary> Deliveries, StatusPill Status)
{
    public int Delivered => Deliveries.Count(d => DeliveryProgress.IsDelivered(d.Status));
}

public sealed record OrderListPage(IReadOnlyList<OrderCard> Orders, int Total, int Page, int PageCount, int First, int Last);

/// <summary>A delivery that is late or stuck, with the order it belongs to.</summary>
public sealed record AttentionItem(DeliveryView Delivery, OrderView Order);

public sealed record AccountOverview(IReadOnlyList<OrderCard> Recent, int OrderCount, int ReadyCount, int UnderWayCount, IReadOnlyList<AttentionItem> Attention);

/// <summary>The account pages' reads: lists come from the read models, the orders shown from their grains.</summary>
internal sealed class CustomerOrders(IGrainFactory grains, OrdersReadModel orders, DownloadLinks links, Microsoft.AspNetCore.Authorization.IAuthorizationService authorization)
{
    public const int PageSize = 10;
    private const int RecentCount = 3;
    private const int AttentionLimit = 5;

    public async Task<OrderListPage> PageAsync(string accountId, int page, CancellationToken cancellationToken)
    {
        var summaries = await orders.ForAccountAsync(accountId, cancellationToken);
        var pageCount = Math.Max(1, (summaries.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var shown = summaries.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var cards = await CardsAsync(accountId, shown, cancellationToken);
        var first = summaries.Count == 0 ? 0 : (page - 1) * PageSize + 1;
        return new OrderListPage(cards, summaries.Count, page, pageCount, first, first == 0 ? 0 : first + cards.Count - 1);
    }

    public async Task<AccountOverview> OverviewAsync(string accountId, CancellationToken cancellationToken)
    {
        var summaries = await orders.ForAccountAsync(accountId, cancellationToken);
        var deliveries = await orders.DeliveriesForAccountAsync(accountId, cancellationToken);
        var recent = await CardsAsync(accountId, [.. summaries.Take(RecentCount)], cancellationToken, deliveries);

        var troubled = deliveries
            .Where(d => d.Health != DeliveryHealth.Healthy || d.Status is DeliveryStatus.Failed or DeliveryStatus.Escalated)
            .Take(AttentionLimit)
            .ToList();
        var attention = new List<AttentionItem>(troubled.Count);
        foreach (var delivery in troubled)
        {
            var view = await grains.GetGrain<IDeliveryGrain>(delivery.Id).GetAsync();
            var order = await grains.GetGrain<IOrderGrain>(delivery.OrderId).GetAsync();
            if (view is not null && order is not null) attention.Add(new AttentionItem(view, order));
        }
        return new AccountOverview(
            recent,
            summaries.Count,
            deliveries.Count(d => DeliveryProgress.IsDelivered(d.Status)),
            deliveries.Count(d => d.Status is DeliveryStatus.Pending or DeliveryStatus.Processing or DeliveryStatus.Retrying),
            attention);
    }

    /// <summary>The order with its deliveries and timeline, when this visitor may read it (see <see cref="OrderAccess"/>); otherwise null.</summary>
    public async Task<OrderDetail?> ReadableAsync(HttpContext http, string orderId, CancellationToken cancellationToken)
    {
        if (orderId.Length is 0 or > 100) return null;
        var order = await grains.GetGrain<IOrderGrain>(orderId).GetAsync();
        if (order is null || !await authorization.MayReadAsync(http.User, order)) return null;
        return await OrdersApi.DetailAsync(order, grains, orders, links, cancellationToken);
    }

    private async Task<IReadOnlyList<OrderCard>> CardsAsync(string accountId, IReadOnlyList<OrderSummary> shown, CancellationToken cancellationToken,
        IReadOnlyList<DeliverySummary>? deliveries = null)
    {
        if (shown.Count == 0) return [];
        deliveries ??= await orders.DeliveriesForAccountAsync(accountId, cancellationToken);
        var byOrder = deliveries.ToLookup(d => d.OrderId);
        var views = await Task.WhenAll(shown.Select(s => grains.GetGrain<IOrderGrain>(s.Id).GetAsync()));
        return [.. views.OfType<OrderView>().Select(order =>
        {
            var own = byOrder[order.Id].ToList();
            return new OrderCard(order, own, OrderStatusText.For(order.Status, [.. own.Select(d => (d.Status, d.Health))], order.Lines.Count));
        })];
    }
}
