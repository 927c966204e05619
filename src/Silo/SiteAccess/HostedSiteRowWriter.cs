using Courier.Grains.SiteAccess;
using Courier.Silo.Storage;
using Npgsql;

namespace Courier.Silo.SiteAccess;

internal sealed class HostedSiteRowWriter : ReadModelWriter<HostedSiteRow>
{
    protected override NpgsqlBatchCommand Upsert(HostedSiteRow row) => new("""
        INSERT INTO hosted_sites (site_id, delivery_id, order_id, product_id, sealed_credentials, credentials_version, revoked_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (site_id) DO UPDATE SET sealed_credentials = EXCLUDED.sealed_credentials,
            credentials_version = EXCLUDED.credentials_version, revoked_at = EXCLUDED.revoked_at
        """)
    {
        Parameters =
        {
            new() { Value = row.SiteId }, new() { Value = row.DeliveryId }, new() { Value = row.OrderId }, new() { Value = row.ProductId },
            new() { Value = (object?)row.SealedCredentials ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }, new() { Value = row.CredentialsVersion },
            new() { Value = (object?)row.RevokedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
        },
    };
}
