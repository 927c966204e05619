using System.Text.Json.Serialization;

namespace Courier.Abstractions.Runtime;

/// <summary>
/// A row of a read model (orders list, deliveries, catalog…) that a grain keeps in step with its
/// state, written in the grain's own transaction. The silo knows how to write each row type.
/// </summary>
public abstract record ReadModelRow
{
    /// <summary>The row's primary key within its read model.</summary>
    [JsonIgnore]
    public abstract string RowKey { get; }
}
