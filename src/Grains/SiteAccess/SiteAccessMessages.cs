using Courier.Abstractions.Runtime;
using Orleans;

namespace Courier.Grains.SiteAccess;

/// <summary>A revoked site-access delivery asks its site access to be withdrawn.</summary>
[Alias("Courier.Grains.SiteAccess.RevokeSiteAccess")]
public sealed record RevokeSiteAccess(string DeliveryId, string Reason) : IOutboxMessage;

/// <summary>Asks the site host that created <paramref name="Account"/> to delete it (at least once; hosts treat a repeat as done).</summary>
[Alias("Courier.Grains.SiteAccess.RemoveSiteAccount")]
public sealed record RemoveSiteAccount(string DeliveryId, string OrderId, string ProductId, string Host, string Account) : IOutboxMessage;

/// <summary>
/// A site Courier hosts itself (the built-in host): what its sign-in checks. The credentials stay
/// sealed; <paramref name="CredentialsVersion"/> changes on every rotation, which ends the sessions
/// signed in with the old password.
/// </summary>
public sealed record HostedSiteRow(
    string SiteId, string DeliveryId, string OrderId, string ProductId, string? SealedCredentials, int CredentialsVersion, DateTimeOffset? RevokedAt) : ReadModelRow
{
    public override string RowKey => SiteId;

    public override string ToString() => $"HostedSiteRow {{ SiteId = {SiteId}, DeliveryId = {DeliveryId}, CredentialsVersion = {CredentialsVersion}, RevokedAt = {RevokedAt} }}";
}
