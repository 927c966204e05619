using Courier.Grains.Deliveries;
using Courier.Silo.Storage;
using Npgsql;

namespace Courier.Silo.Deliveries;

internal sealed class DeliveryRowWriter : ReadModelWriter<DeliveryRow>
{
    protected override NpgsqlBatchCommand Upsert(DeliveryRow row) => new("""
        INSERT INTO deliveries (id, order_id, status, kind, product_id, health, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, health = EXCLUDED.health, updated_at = EXCLUDED.updated_at
        """)
    {
        Parameters =
        {
            new() { Value = row.Id }, new() { Value = row.OrderId }, new() { Value = row.Status.ToString() },
            new() { Value = row.Kind.ToString() }, new() { Value = row.ProductId }, new() { Value = row.Health.ToString() },
            new() { Value = row.UpdatedAt },
        },
    };
}

internal sealed class TechnicianAssignmentWriter : ReadModelWriter<TechnicianAssignment>
{
    protected override NpgsqlBatchCommand Upsert(TechnicianAssignment row) => new("""
        INSERT INTO technician_assignments (delivery_id, order_id, reason, assigned_at)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (delivery_id) DO NOTHING
        """)
    {
        Parameters = { new() { Value = row.DeliveryId }, new() { Value = row.OrderId }, new() { Value = row.Reason }, new() { Value = row.AssignedAt } },
    };
}
