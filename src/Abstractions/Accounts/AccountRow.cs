using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Accounts;

/// <summary>The account in the <c>accounts</c> read model (admin search and lists).</summary>
public sealed record AccountRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt) : ReadModelRow
{
    public override string RowKey => Id;
}
