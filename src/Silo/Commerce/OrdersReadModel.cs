using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Grains.Deliveries;
using Courier.Grains.Orders;
using Courier.Grains.SiteAccess;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Npgsql;

namespace Courier.Silo.Commerce;

/// <summary>Order lists and timelines: the orders read model and the order grains' journals.</summary>
public sealed class OrdersReadModel
{
    private readonly NpgsqlDataSource dataSource;
    private readonly IGrainStore store;

    internal OrdersReadModel(NpgsqlDataSource dataSource, IGrainStore store)
    {
        this.dataSource = dataSource;
        this.store = store;
    }

    /// <summary>The grains keyed by a delivery id whose journals make up that delivery's part of the timeline.</summary>
    private static readonly string[] DeliveryJournals = [GrainName.TypeOf(typeof(DeliveryGrain)), GrainName.TypeOf(typeof(SiteAccessGrain))];

    public async Task<IReadOnlyList<OrderSummary>> ForAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, status, total_amount, currency, created_at FROM orders WHERE account_id = $1 ORDER BY created_at DESC LIMIT 100");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        var orders = new List<OrderSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            orders.Add(new OrderSummary(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return orders;
    }

    /// <summary>
    /// Every delivery of the account's orders as the delivery read model has it, newest order
    /// first and in line order within an order: what the account overview counts and lists.
    /// </summary>
    public async Task<IReadOnlyList<DeliverySummary>> DeliveriesForAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.order_id, d.status, d.kind, d.health, d.product_id, d.updated_at
            FROM deliveries d JOIN orders o ON o.id = d.order_id
            WHERE o.account_id = $1
            ORDER BY o.created_at DESC, d.order_id, length(d.id), d.id
            LIMIT 1000
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        var deliveries = new List<DeliverySummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            deliveries.Add(new DeliverySummary(reader.GetString(0), reader.GetString(1),
                Enum.Parse<DeliveryStatus>(reader.GetString(2)), Enum.Parse<DeliveryKind>(reader.GetString(3)), Enum.Parse<DeliveryHealth>(reader.GetString(4)),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        return deliveries;
    }

    /// <summary>
    /// Every journaled step of the order and of its <paramref name="lineCount"/> line deliveries (their
    /// site access included), oldest first (at the same instant the order's own step comes first).
    /// Delivery entries name their delivery.
    /// </summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string orderId, int lineCount, CancellationToken cancellationToken)
    {
        var journal = await store.ReadJournalAsync(new GrainName(GrainName.TypeOf(typeof(OrderGrain)), orderId), cancellationToken).ConfigureAwait(false);
        var entries = journal.Select(j => new TimelineEntry(j.At, j.Kind, JsonDocument.Parse(j.DataJson).RootElement.Clone())).ToList();
        for (var line = 1; line <= lineCount; line++)
        {
            var deliveryId = new DeliveryId(orderId, line).ToString();
            foreach (var grainType in DeliveryJournals)
            {
                var deliveryJournal = await store.ReadJournalAsync(new GrainName(grainType, deliveryId), cancellationToken).ConfigureAwait(false);
                entries.AddRange(deliveryJournal.Select(j => new TimelineEntry(j.At, j.Kind, JsonDocument.Parse(j.DataJson).RootElement.Clone(), deliveryId)));
            }
        }
        return [.. entries.OrderBy(e => e.At)]; // a stable sort: each journal keeps its own order
    }
}

public sealed record OrderSummary(string Id, string Status, long TotalAmount, string Currency, DateTimeOffset CreatedAt);

public sealed record DeliverySummary(string Id, string OrderId, DeliveryStatus Status, DeliveryKind Kind, DeliveryHealth Health, string ProductId, DateTimeOffset UpdatedAt);

public sealed record TimelineEntry(DateTimeOffset At, string Kind, JsonElement Data, string? DeliveryId = null);
