using Courier.Abstractions.Accounts;
using Courier.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Courier.Silo.Accounts;

internal sealed class AccountRowWriter : ReadModelWriter<AccountRow>
{
    protected override NpgsqlBatchCommand Upsert(AccountRow row) => new(
        "INSERT INTO accounts (id, email, display_name, roles, created_at) VALUES ($1, $2, $3, $4, $5) " +
        "ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, roles = EXCLUDED.roles")
    {
        Parameters =
        {
            new NpgsqlParameter { Value = row.Id },
            new NpgsqlParameter { Value = row.Email },
            new NpgsqlParameter { Value = row.DisplayName },
            new NpgsqlParameter { Value = row.Roles.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new NpgsqlParameter { Value = row.CreatedAt },
        },
    };
}
