using Courier.Abstractions.Runtime;
using Npgsql;

namespace Courier.Silo.Storage;

/// <summary>Writes one read-model row type into its PostgreSQL table, inside the grain's commit.</summary>
public interface IReadModelWriter
{
    Type RowType { get; }

    /// <summary>An upsert of the row; it runs in the same batch (and transaction) as the grain's state.</summary>
    NpgsqlBatchCommand Upsert(ReadModelRow row);
}

public abstract class ReadModelWriter<TRow> : IReadModelWriter where TRow : ReadModelRow
{
    public Type RowType => typeof(TRow);

    public NpgsqlBatchCommand Upsert(ReadModelRow row) => Upsert((TRow)row);

    protected abstract NpgsqlBatchCommand Upsert(TRow row);
}
