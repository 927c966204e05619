using Courier.Abstractions.Runtime;

namespace Courier.Grains.Accounts;

/// <summary>
/// An outbox message: e-mail the owner a password-reset link. The handler signs <paramref name="ResetId"/>
/// into the link's token with the store's key, so no usable token is ever stored.
/// </summary>
[Orleans.Alias("Courier.Grains.Accounts.SendPasswordResetEmail")]
public sealed record SendPasswordResetEmail(string To, string AccountId, string ResetId, DateTimeOffset ExpiresAt, string? IpAddress) : IOutboxMessage;
