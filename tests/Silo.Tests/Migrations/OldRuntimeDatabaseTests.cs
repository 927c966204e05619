using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Grains.Deliveries;
using Courier.Grains.Orders;
using Courier.Silo.Commerce;
using Courier.Silo.Grains;
using Courier.Silo.Hosting;
using Courier.Silo.Migrations;
using Courier.TestSupport;
using Npgsql;

namespace Courier.Silo.Tests.Migrations;

/// <summary>
/// A shop that ran on Courier's own grain runtime (migrations 0001–0009, reminder rows with leases
/// and attempts) upgrades in place: the new code starts on its database, migrates it, and keeps
/// every order, delivery, timeline and reminder.
/// </summary>
public sealed class OldRuntimeDatabaseTests : IAsyncLifetime
{
    private const int LastOldRuntimeMigration = 9;
    private TestDatabase database = null!;
    private TestSilo? node;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await ApplyOldSchemaAsync(dataSource);
    }

    public async Task DisposeAsync()
    {
        if (node is not null) await node.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Orders_deliveries_timelines_and_reminders_written_by_the_old_runtime_survive_the_move_onto_Orleans()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
        {
            // Written while the shop ran on the old runtime; the first node on the new code was down when it came due.
            await SaveOrderAsync(dataSource, "ord_old_overdue", deadline: now - TimeSpan.FromMinutes(40), reminderDue: now - TimeSpan.FromMinutes(10));
            await SaveOrderAsync(dataSource, "ord_old_waiting", deadline: now + TimeSpan.FromMinutes(50), reminderDue: now + TimeSpan.FromHours(1));
            await SaveReadyDeliveryAsync(dataSource, "ord_old_paid:1", now - TimeSpan.FromDays(1));
        }

        node = await TestSilo.StartAsync(database.ConnectionString, services => services.AddReadModelWriter<OrderRowWriter>());

        Assert.Equal(MigrationRunner.Scripts.Max(script => script.Version), await database.ScalarAsync<int>("SELECT max(version) FROM schema_version"));
        // The tick that came due while no node ran is delivered at start-up: the unpaid order expires.
        var overdue = node.Grains.GetGrain<IOrderGrain>("ord_old_overdue");
        await Eventually.TrueAsync(async () => (await overdue.GetAsync())!.Status == OrderStatus.Expired, TimeSpan.FromSeconds(20),
            "the overdue payment deadline fires after the upgrade");
        Assert.Equal("the payment page was never opened", (await overdue.GetAsync())!.StatusReason);
        Assert.Empty(await node.Store.ListRemindersAsync(GrainName.Of<OrderGrain>("ord_old_overdue"), default));
        var timeline = await node.Store.ReadJournalAsync(GrainName.Of<OrderGrain>("ord_old_overdue"), default);
        Assert.Equal(["OrderStepped", "OrderStepped"], timeline.Select(e => e.Kind));
        Assert.Equal("checkout started", JsonDocument.Parse(timeline[0].DataJson).RootElement.GetProperty("cause").GetString());

        // The one still ahead keeps its row and now has an Orleans reminder to wake it.
        var waiting = (await node.Grains.GetGrain<IOrderGrain>("ord_old_waiting").GetAsync())!;
        Assert.Equal(OrderStatus.PendingPayment, waiting.Status);
        var row = Assert.Single(await node.Store.ListRemindersAsync(GrainName.Of<OrderGrain>("ord_old_waiting"), default));
        Assert.Equal("payment-deadline", row.Name);
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(
                "SELECT count(*) FROM orleans_reminder WHERE grain_id = $1 AND reminder_name = $2",
                GrainName.Of<OrderGrain>("ord_old_waiting").ToString(), ReminderSweep.OrleansReminder) == 1,
            TimeSpan.FromSeconds(20), "the start-up sweep schedules an Orleans reminder for the old row");

        var delivery = await node.Grains.GetGrain<IDeliveryGrain>("ord_old_paid:1").GetAsync();
        Assert.NotNull(delivery);
        Assert.Equal(DeliveryStatus.Ready, delivery.Status);
        Assert.Equal("OLD-KEY-0001", delivery.LicenseKey);
    }

    private static async Task ApplyOldSchemaAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await Execute(connection, "CREATE TABLE schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var script in MigrationRunner.Scripts.Where(s => s.Version <= LastOldRuntimeMigration))
        {
            await using var stream = typeof(MigrationRunner).Assembly.GetManifestResourceStream(script.ResourceName)!;
            using var reader = new StreamReader(stream);
            await Execute(connection, await reader.ReadToEndAsync());
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES ($1, $2)", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            await record.ExecuteNonQueryAsync();
        }
    }

    private static async Task SaveOrderAsync(NpgsqlDataSource dataSource, string orderId, DateTimeOffset deadline, DateTimeOffset reminderDue)
    {
        var createdAt = deadline - TimeSpan.FromMinutes(30);
        var state = new OrderState
        {
            Status = OrderStatus.PendingPayment,
            CreatedAt = createdAt,
            Placed = new PlaceOrder($"cart_{orderId}", null, "ada@example.com",
                [new OrderLineDraft("prod_old", "old-kit", "Old kit", new Money(4900, "usd"), 1, DeliveryKind.LicenseKey, StockLimited: false)],
                null, new Money(4900, "usd"), new Money(0, "usd"), new Money(4900, "usd"), deadline),
        };
        var type = GrainTypeName<OrderGrain>();
        await SaveStateAsync(dataSource, type, orderId, 1, state);
        await SaveJournalAsync(dataSource, type, orderId, 1, "OrderStepped", new OrderStepped(OrderStatus.None, OrderStatus.PendingPayment, "checkout started", createdAt));
        // The old runtime's reminder row, lease and attempts included.
        await using var command = dataSource.CreateCommand(
            "INSERT INTO reminders (grain_type, grain_key, name, due_at, period_ms, generation, attempts, last_error, lease_owner, lease_token, lease_until) " +
            "VALUES ($1, $2, 'payment-deadline', $3, NULL, $4, 1, 'node stopped', 'old-node', $5, $6)");
        foreach (var value in new object[] { type, orderId, reminderDue, Guid.NewGuid(), Guid.NewGuid(), reminderDue - TimeSpan.FromMinutes(1) })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task SaveReadyDeliveryAsync(NpgsqlDataSource dataSource, string deliveryId, DateTimeOffset paidAt)
    {
        var state = new DeliveryState
        {
            Status = DeliveryStatus.Ready,
            Request = new DeliveryRequest("ord_old_paid", 1, "prod_old", "Old kit", DeliveryKind.LicenseKey, null, "ada@example.com", paidAt, TimeSpan.FromMinutes(10)),
            Attempt = 1,
            ReadyAt = paidAt + TimeSpan.FromSeconds(3),
            LicenseKey = "OLD-KEY-0001",
        };
        await SaveStateAsync(dataSource, GrainTypeName<DeliveryGrain>(), deliveryId, 2, state);
    }

    private static async Task SaveStateAsync(NpgsqlDataSource dataSource, string type, string key, long version, object state)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO grain_state (grain_type, grain_key, version, state, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())");
        foreach (var value in new object[] { type, key, version, JsonSerializer.Serialize(state, state.GetType(), GrainJson.Options) })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task SaveJournalAsync(NpgsqlDataSource dataSource, string type, string key, long version, string kind, object entry)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO grain_journal (grain_type, grain_key, version, seq, at, kind, data) VALUES ($1, $2, $3, 0, now(), $4, $5::jsonb)");
        foreach (var value in new object[] { type, key, version, kind, JsonSerializer.Serialize(entry, entry.GetType(), GrainJson.Options) })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The type name the old runtime stored: the class's full name (now pinned by its [GrainType]).</summary>
    private static string GrainTypeName<TGrain>() => typeof(TGrain).FullName!;

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
