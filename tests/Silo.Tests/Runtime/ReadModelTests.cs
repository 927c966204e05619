using Courier.Abstractions.Runtime;
using Courier.Grains;
using Courier.Silo.Hosting;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Concurrency;

namespace Courier.Silo.Tests.Runtime;

public interface IShelfGrain : IGrainWithStringKey
{
    Task StockAsync(int units);
    Task StockThenFailAsync(int units);
    [ReadOnly] Task<ShelfState> GetAsync();
}

public sealed class ShelfState
{
    public int Units { get; set; }
}

public sealed record ShelfRow(string Shelf, int Units) : ReadModelRow
{
    public override string RowKey => Shelf;
}

[Orleans.GrainType("test.shelf")]
public sealed class ShelfGrain([GrainContext] IGrainContext<ShelfState> grain) : Grain, IShelfGrain
{
    public Task StockAsync(int units)
    {
        grain.State.Units += units;
        grain.Project(new ShelfRow(grain.Key, grain.State.Units));
        return Task.CompletedTask;
    }

    public async Task StockThenFailAsync(int units)
    {
        await StockAsync(units);
        throw new InvalidOperationException("fails after projecting");
    }

    public Task<ShelfState> GetAsync() => Task.FromResult(grain.State);
}

public sealed class ShelfRowWriter : ReadModelWriter<ShelfRow>
{
    protected override NpgsqlBatchCommand Upsert(ShelfRow row) => new(
        "INSERT INTO shelves (shelf, units) VALUES ($1, $2) ON CONFLICT (shelf) DO UPDATE SET units = EXCLUDED.units")
    {
        Parameters = { new NpgsqlParameter { Value = row.Shelf }, new NpgsqlParameter { Value = row.Units } },
    };
}

public sealed class ReadModelTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private TestSilo node = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync("CREATE TABLE shelves (shelf text PRIMARY KEY, units int NOT NULL)");
        node = await TestSilo.StartAsync(database.ConnectionString, services =>
        {
            services.AddReadModelWriter<ShelfRowWriter>();
        });
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Read_model_row_is_written_in_the_calls_transaction_and_not_when_the_call_fails()
    {
        var shelf = node.Grains.GetGrain<IShelfGrain>("A-1");

        await shelf.StockAsync(5);
        await Assert.ThrowsAsync<InvalidOperationException>(() => shelf.StockThenFailAsync(100));

        Assert.Equal(5, await database.ScalarAsync<int>("SELECT units FROM shelves WHERE shelf = 'A-1'"));
        Assert.Equal(5, (await shelf.GetAsync()).Units);
    }
}
