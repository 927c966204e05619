using Courier.Abstractions.Runtime;
using Courier.Abstractions.SiteAccess;

namespace Courier.Silo.SiteAccess;

/// <summary>The sign-in of a hosted site as its owner sees it (the only place a password leaves Courier in plain text: to its owner).</summary>
public sealed record RevealedSiteCredentials(string DeliveryId, string Username, string Password, string LoginUrl, int CredentialsVersion, DateTimeOffset? RotatedAt)
{
    public override string ToString() => $"RevealedSiteCredentials {{ DeliveryId = {DeliveryId}, Username = {Username}, Password = (hidden), CredentialsVersion = {CredentialsVersion} }}";
}

/// <summary>A rotation's result: the new credentials, or the wait the rate limit asks for, or the host's error.</summary>
public sealed record SiteCredentialRotation(RevealedSiteCredentials? Credentials, TimeSpan? RetryAfter, string? Error);

/// <summary>
/// What the owner of a site-access delivery (or an admin) can do without support: see the
/// credentials, and replace the password. Both are audited by the delivery's site access; a
/// rotation is also journaled on the order's timeline and limited per delivery
/// (<see cref="SiteAccessLimits"/>). The new password comes from the host that made the account.
/// </summary>
public sealed class SiteAccessSelfService
{
    private readonly IGrainFactory grains;
    private readonly SiteHosts hosts;
    private readonly SiteCredentialVault vault;

    internal SiteAccessSelfService(IGrainFactory grains, SiteHosts hosts, SiteCredentialVault vault)
    {
        this.grains = grains;
        this.hosts = hosts;
        this.vault = vault;
    }

    public async Task<RevealedSiteCredentials> RevealAsync(string deliveryId, string actorId) =>
        Open(await grains.GetGrain<ISiteAccessGrain>(deliveryId).RevealAsync(actorId).ConfigureAwait(false));

    public async Task<SiteCredentialRotation> RotateAsync(string deliveryId, string actorId, bool byStaff, CancellationToken cancellationToken)
    {
        var site = grains.GetGrain<ISiteAccessGrain>(deliveryId);
        var ticket = await site.BeginRotationAsync(actorId).ConfigureAwait(false);
        if (!ticket.Allowed) return new SiteCredentialRotation(null, ticket.RetryAfter, null);

        var current = (await site.GetAsync().ConfigureAwait(false))!;
        var username = current.SealedCredentials is { } sealedNow ? vault.Open(sealedNow).Username : null;
        var answer = await hosts.Named(ticket.Host).RotateAsync(
            new SiteAccountReference(deliveryId, current.OrderId!, current.ProductId!, ticket.Account, username), ticket.Rotation, cancellationToken).ConfigureAwait(false);
        if (answer.Error is { } error) return new SiteCredentialRotation(null, null, error);

        var rotated = await site.CompleteRotationAsync(ticket.Rotation, vault.Seal(answer.Credentials!), actorId, byStaff).ConfigureAwait(false);
        return new SiteCredentialRotation(Open(rotated), null, null);
    }

    private RevealedSiteCredentials Open(SiteAccessView view)
    {
        var credentials = vault.Open(view.SealedCredentials!);
        return new RevealedSiteCredentials(view.DeliveryId, credentials.Username, credentials.Password, view.LoginUrl!, view.CredentialsVersion, view.RotatedAt);
    }
}
