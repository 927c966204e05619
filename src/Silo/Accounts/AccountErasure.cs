using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Grains.Accounts;
using Courier.Silo.Grains;
using Courier.Silo.Outbox;
using Courier.Silo.Storage;
using Npgsql;
using static Courier.Silo.Storage.PostgresValues;

namespace Courier.Silo.Accounts;

/// <summary>The accounts list loses a deleted account's row.</summary>
internal sealed class DeletedAccountRowWriter : ReadModelWriter<DeletedAccountRow>
{
    protected override NpgsqlBatchCommand Upsert(DeletedAccountRow row) => new("DELETE FROM accounts WHERE id = $1")
    {
        Parameters = { new NpgsqlParameter { Value = row.Id } },
    };
}

/// <summary>
/// Erases what a deleted account left outside its grain state: its orders forget who placed them
/// (each order grain, which also withdraws deliveries still in use), and its kept e-mails, sign-in
/// activity, journal and finished outbox rows go. Audit entries stay — they are the record that
/// the account existed and was deleted — without the e-mail address. Only rows written up to the
/// deletion are touched, so an account registered again with the address keeps its own.
/// </summary>
internal sealed class EraseAccountTracesHandler(NpgsqlDataSource dataSource, IGrainFactory grains) : IOutboxHandler<EraseAccountTraces>
{
    private static readonly string AccountGrainType = GrainName.TypeOf(typeof(AccountGrain));

    public async Task HandleAsync(EraseAccountTraces message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var orderIds = new List<string>();
        await using (var select = dataSource.CreateCommand("SELECT id FROM orders WHERE account_id = $1"))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = message.AccountId });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) orderIds.Add(reader.GetString(0));
        }
        foreach (var orderId in orderIds)
            await grains.GetGrain<IOrderGrain>(orderId).EraseCustomerAsync().ConfigureAwait(false);

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("DELETE FROM mailbox WHERE lower(recipient) = $1", message.Email));
        batch.BatchCommands.Add(Command("DELETE FROM sign_in_activity WHERE email = $1", message.Email));
        batch.BatchCommands.Add(Command("DELETE FROM grain_journal WHERE grain_type = $1 AND grain_key = $2 AND version <= $3", AccountGrainType, message.Email, message.UpToVersion));
        batch.BatchCommands.Add(Command("DELETE FROM outbox WHERE grain_type = $1 AND grain_key = $2 AND status = 'done'", AccountGrainType, message.Email));
        batch.BatchCommands.Add(Command("UPDATE audit_log SET details = details - 'email' WHERE target = $1", $"account:{message.AccountId}"));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
