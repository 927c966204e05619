using Orleans.Concurrency;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.SiteAccess;

/// <summary>
/// The account on a hosted website that one site-access delivery gives its customer, keyed by the
/// delivery id ("{orderId}:{line}"). It holds the credentials only as sealed text (encrypted by the
/// silo's adapters before they reach the grain), and keeps the rotation limit and the revocation.
/// </summary>
public interface ISiteAccessGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the account a site host created. The first account stays: a repeat keeps it and asks
    /// for the removal of any other account; after a revoke the new account is removed at once.
    /// </summary>
    Task<SiteAccessProvisioning> ProvisionedAsync(SiteAccountGranted granted);

    [ReadOnly] Task<SiteAccessView?> GetAsync();

    /// <summary>Hands the sealed credentials to someone allowed to see them, and audits who looked.</summary>
    Task<SiteAccessView> RevealAsync(string actorId);

    /// <summary>
    /// Reserves a credential rotation within the per-delivery limit (<see cref="SiteAccessLimits"/>);
    /// a refusal says how long to wait. The caller then has the site host rotate and reports with <see cref="CompleteRotationAsync"/>.
    /// </summary>
    Task<RotationTicket> BeginRotationAsync(string actorId);

    /// <summary>Stores rotation <paramref name="rotation"/>'s new credentials: the old ones stop working with this commit. Journaled and audited.</summary>
    Task<SiteAccessView> CompleteRotationAsync(int rotation, string sealedCredentials, string actorId, bool byStaff);

    /// <summary>Withdraws the access (after a refund): the built-in site refuses sign-in at once, an outside host is told to remove the account.</summary>
    Task RevokeAsync(string reason);
}

/// <summary>The site hosts an account can live on.</summary>
public static class SiteHostNames
{
    /// <summary>Courier itself serves the product's site at /sites/{account} (the embedded run's default).</summary>
    public const string Builtin = "builtin";

    /// <summary>The seller's own hosting, reached through its HTTP provisioning endpoint.</summary>
    public const string Http = "http";
}

public static class SiteAccessLimits
{
    public const int RotationsPerWindow = 5;
    public static readonly TimeSpan RotationWindow = TimeSpan.FromHours(1);
}

/// <summary>What a site host reported for a delivery; the credentials are sealed (Data Protection ciphertext).</summary>
/// <param name="Host">The site host that created the account ("builtin" or "http"); rotation and removal go to the same one.</param>
/// <param name="Account">The host's name for the account, e.g. the built-in site's id in /sites/{id}.</param>
/// <param name="LoginUrl">Where the customer signs in; a path (the built-in site) or an absolute address.</param>
public sealed record SiteAccountGranted(string OrderId, string ProductId, string Host, string Account, string LoginUrl, string SealedCredentials);

public enum SiteAccessProvisioning
{
    Recorded,
    AlreadyProvisioned,
    Revoked,
}

public sealed record SiteAccessView(
    string DeliveryId,
    string? OrderId,
    string? ProductId,
    string? Host,
    string? Account,
    string? LoginUrl,
    string? SealedCredentials,
    int CredentialsVersion,
    DateTimeOffset? ProvisionedAt,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedReason)
{
    public bool IsProvisioned => SealedCredentials is not null && RevokedAt is null;

    /// <summary>Never prints the sealed credentials (they end up in logs and assertion messages otherwise).</summary>
    public override string ToString() =>
        $"SiteAccessView {{ DeliveryId = {DeliveryId}, Host = {Host}, Account = {Account}, CredentialsVersion = {CredentialsVersion}, RevokedAt = {RevokedAt} }}";
}

/// <summary>A reserved rotation, or a refusal with the wait until the next one is allowed.</summary>
public sealed record RotationTicket(int Rotation, string Host, string Account, TimeSpan? RetryAfter)
{
    public bool Allowed => RetryAfter is null;
}

/// <summary>The site account was created (journaled; merged into the order's timeline).</summary>
[Orleans.Alias("SiteAccountCreated")]
public sealed record SiteAccountCreated(string LoginUrl, DateTimeOffset At) : IJournalEntry;

/// <summary>The credentials were replaced; the old password stopped working (journaled).</summary>
[Orleans.Alias("SiteCredentialsRotated")]
public sealed record SiteCredentialsRotated(int CredentialsVersion, string Cause, DateTimeOffset At) : IJournalEntry;

/// <summary>Site access was withdrawn (journaled).</summary>
[Orleans.Alias("SiteAccessRevoked")]
public sealed record SiteAccessRevoked(string Reason, DateTimeOffset At) : IJournalEntry;
