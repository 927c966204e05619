using Courier.Abstractions.Runtime;

namespace Courier.Grains.Accounts;

/// <summary>
/// An outbox message: e-mail the owner a password-reset link. The handler signs <paramref name="ResetId"/>
/// into the link's token with the store's key, so no usable token is ever stored.
/// </summary>
[Orleans.Alias("Courier.Grains.Accounts.EraseAccountTraces")]
/// <summary>
/// A deleted account's traces outside its grain state: its orders (anonymised), its kept e-mails,
/// sign-in activity, journal and done outbox rows up to <paramref name="UpToVersion"/>, and the
/// e-mail address in its audit entries.
/// </summary>
public sealed record EraseAccountTraces(string AccountId, string Email, long UpToVersion) : IOutboxMessage;

/// <summary>The accounts read model loses the row of a deleted account.</summary>
public sealed record DeletedAccountRow(string Id) : ReadModelRow
{
    public override string RowKey => Id;
}

[Orleans.Alias("Courier.Grains.Accounts.SendPasswordResetEmail")]
public sealed record SendPasswordResetEmail(string To, string AccountId, string ResetId, DateTimeOffset ExpiresAt, string? IpAddress) : IOutboxMessage;
