using System.Text.Json;
using Courier.Abstractions.Audit;
using Courier.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Courier.Silo.Audit;

/// <summary>Appends audit entries; the log is append-only, so the "upsert" is a plain insert.</summary>
internal sealed class AuditEntryWriter : ReadModelWriter<AuditEntry>
{
    protected override NpgsqlBatchCommand Upsert(AuditEntry row) => new(
        "INSERT INTO audit_log (at, actor_id, action, target, details) VALUES ($1, $2, $3, $4, $5)")
    {
        Parameters =
        {
            new NpgsqlParameter { Value = row.At },
            new NpgsqlParameter { Value = row.ActorId },
            new NpgsqlParameter { Value = row.Action },
            new NpgsqlParameter { Value = row.Target },
            new NpgsqlParameter { Value = JsonSerializer.Serialize(row.Details), NpgsqlDbType = NpgsqlDbType.Jsonb },
        },
    };
}
