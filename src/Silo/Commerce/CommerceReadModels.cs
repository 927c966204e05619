using System.Text.Json;
using Courier.Grains.Catalog;
using Courier.Grains.Orders;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Courier.Silo.Commerce;

internal sealed class CatalogRowWriter : ReadModelWriter<CatalogRow>
{
    protected override NpgsqlBatchCommand Upsert(CatalogRow row)
    {
        var p = row.Product;
        return new NpgsqlBatchCommand("""
            INSERT INTO catalog_products (id, slug, title, summary, delivery_kind, price_amount, currency, tags, active, product, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
            ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, summary = EXCLUDED.summary,
                delivery_kind = EXCLUDED.delivery_kind, price_amount = EXCLUDED.price_amount, currency = EXCLUDED.currency,
                tags = EXCLUDED.tags, active = EXCLUDED.active, product = EXCLUDED.product, updated_at = EXCLUDED.updated_at
            """)
        {
            Parameters =
            {
                new() { Value = p.Id }, new() { Value = p.Slug }, new() { Value = p.Title }, new() { Value = p.Summary },
                new() { Value = p.DeliveryKind.ToString() }, new() { Value = p.Price.Amount }, new() { Value = p.Price.Currency },
                new() { Value = p.Tags.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }, new() { Value = p.Active },
                new() { Value = JsonSerializer.Serialize(p, GrainJson.Options) }, new() { Value = p.UpdatedAt },
            },
        };
    }
}

internal sealed class OrderRowWriter : ReadModelWriter<OrderRow>
{
    protected override NpgsqlBatchCommand Upsert(OrderRow row) => new("""
        INSERT INTO orders (id, account_id, email, status, total_amount, currency, session_id, payment_intent_id, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (id) DO UPDATE SET account_id = EXCLUDED.account_id, email = EXCLUDED.email, status = EXCLUDED.status, session_id = EXCLUDED.session_id,
            payment_intent_id = EXCLUDED.payment_intent_id, updated_at = EXCLUDED.updated_at
        """)
    {
        Parameters =
        {
            new() { Value = row.Id }, new() { Value = (object?)row.AccountId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = row.Email }, new() { Value = row.Status.ToString() }, new() { Value = row.Total }, new() { Value = row.Currency },
            new() { Value = (object?)row.SessionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)row.PaymentIntentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = row.CreatedAt }, new() { Value = row.UpdatedAt },
        },
    };
}
