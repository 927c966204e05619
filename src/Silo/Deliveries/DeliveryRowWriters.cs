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

/// <summary>Appends to the download log; each row is one request, so the "upsert" is a plain insert.</summary>
internal sealed class DownloadLogWriter : ReadModelWriter<DownloadLogged>
{
    protected override NpgsqlBatchCommand Upsert(DownloadLogged row) => new("""
        INSERT INTO download_log (delivery_id, link_id, at, client_address, user_agent, range_start, outcome)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """)
    {
        Parameters =
        {
            new() { Value = row.DeliveryId }, new() { Value = row.LinkId }, new() { Value = row.At }, new() { Value = row.ClientAddress },
            new() { Value = (object?)row.UserAgent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = row.RangeStart }, new() { Value = row.Outcome.ToString() },
        },
    };
}
