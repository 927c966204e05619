using Courier.Abstractions.Audit;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;
using Courier.Abstractions.SiteAccess;

namespace Courier.Grains.SiteAccess;

public sealed class SiteAccessState
{
    public string? OrderId { get; set; }
    public string? ProductId { get; set; }
    public string? Host { get; set; }
    public string? Account { get; set; }
    public string? LoginUrl { get; set; }

    /// <summary>Data Protection ciphertext of the username and password; null before provisioning and after a revoke.</summary>
    public string? SealedCredentials { get; set; }

    public int CredentialsVersion { get; set; }
    public int RotationsStarted { get; set; }
    public int LastRotationCompleted { get; set; }
    public List<DateTimeOffset> RecentRotations { get; set; } = [];
    public DateTimeOffset? ProvisionedAt { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}

[Orleans.GrainType("Courier.Grains.SiteAccess.SiteAccessGrain")]
internal sealed class SiteAccessGrain([GrainContext] IGrainContext<SiteAccessState> grain) : Grain, ISiteAccessGrain
{
    private SiteAccessState State => grain.State;

    public Task<SiteAccessProvisioning> ProvisionedAsync(SiteAccountGranted granted)
    {
        if (State.RevokedAt is not null)
        {
            if (granted.Host != State.Host || granted.Account != State.Account)
                grain.Send(new RemoveSiteAccount(grain.Key, granted.OrderId, granted.ProductId, granted.Host, granted.Account));
            return Task.FromResult(SiteAccessProvisioning.Revoked);
        }
        if (State.SealedCredentials is not null)
        {
            // One account per delivery: a second one (a host that did not honour the request id) goes again.
            if (granted.Host != State.Host || granted.Account != State.Account)
                grain.Send(new RemoveSiteAccount(grain.Key, granted.OrderId, granted.ProductId, granted.Host, granted.Account));
            return Task.FromResult(SiteAccessProvisioning.AlreadyProvisioned);
        }
        State.OrderId = granted.OrderId;
        State.ProductId = granted.ProductId;
        State.Host = granted.Host;
        State.Account = granted.Account;
        State.LoginUrl = granted.LoginUrl;
        State.SealedCredentials = granted.SealedCredentials;
        State.CredentialsVersion = 1;
        State.ProvisionedAt = grain.Now;
        grain.Journal(new SiteAccountCreated(granted.LoginUrl, grain.Now));
        ProjectHostedSite();
        return Task.FromResult(SiteAccessProvisioning.Recorded);
    }

    public Task<SiteAccessView?> GetAsync() => Task.FromResult(State.Host is null && State.RevokedAt is null ? null : View());

    public Task<SiteAccessView> RevealAsync(string actorId)
    {
        EnsureUsable();
        Audit(actorId, AuditActions.SiteCredentialsRevealed, new Dictionary<string, string> { ["credentialsVersion"] = Number(State.CredentialsVersion) });
        return Task.FromResult(View());
    }

    public Task<RotationTicket> BeginRotationAsync(string actorId)
    {
        EnsureUsable();
        var windowStart = grain.Now - SiteAccessLimits.RotationWindow;
        State.RecentRotations.RemoveAll(at => at <= windowStart);
        if (State.RecentRotations.Count >= SiteAccessLimits.RotationsPerWindow)
        {
            var wait = State.RecentRotations.Min() + SiteAccessLimits.RotationWindow - grain.Now;
            return Task.FromResult(new RotationTicket(0, State.Host!, State.Account!, wait));
        }
        State.RecentRotations.Add(grain.Now);
        State.RotationsStarted++;
        return Task.FromResult(new RotationTicket(State.RotationsStarted, State.Host!, State.Account!, null));
    }

    public Task<SiteAccessView> CompleteRotationAsync(int rotation, string sealedCredentials, string actorId, bool byStaff)
    {
        EnsureUsable();
        if (rotation <= State.LastRotationCompleted || rotation > State.RotationsStarted)
            throw new RuleViolationException("rotation-superseded",
                "Another password change finished at the same moment, so this one was not kept. Show the sign-in details to see the password that works now.", 409);
        State.LastRotationCompleted = rotation;
        State.SealedCredentials = sealedCredentials;
        State.CredentialsVersion++;
        State.RotatedAt = grain.Now;
        var cause = byStaff ? "a new password was set by our staff; the old one no longer works" : "you set a new password; the old one no longer works";
        grain.Journal(new SiteCredentialsRotated(State.CredentialsVersion, cause, grain.Now));
        Audit(actorId, AuditActions.SiteCredentialsRotated, new Dictionary<string, string> { ["credentialsVersion"] = Number(State.CredentialsVersion) });
        ProjectHostedSite();
        return Task.FromResult(View());
    }

    public Task RevokeAsync(string reason)
    {
        if (State.RevokedAt is not null) return Task.CompletedTask;
        State.RevokedAt = grain.Now;
        State.RevokedReason = reason;
        State.SealedCredentials = null;
        grain.Journal(new SiteAccessRevoked(reason, grain.Now));
        ProjectHostedSite();
        if (State.Host is { } host && State.Account is { } account)
            grain.Send(new RemoveSiteAccount(grain.Key, State.OrderId!, State.ProductId!, host, account));
        return Task.CompletedTask;
    }

    private void EnsureUsable()
    {
        if (State.RevokedAt is not null)
            throw new RuleViolationException("site-access-revoked",
                $"Access to this site was withdrawn ({State.RevokedReason}), so there are no sign-in details any more.", 410);
        if (State.SealedCredentials is null)
            throw new RuleViolationException("site-not-ready",
                "Your site is still being set up. Its sign-in details appear on your order page the moment it is ready.", 409);
    }

    private void ProjectHostedSite()
    {
        if (State.Host != SiteHostNames.Builtin || State.Account is null) return;
        grain.Project(new HostedSiteRow(State.Account, grain.Key, State.OrderId!, State.ProductId!, State.SealedCredentials, State.CredentialsVersion, State.RevokedAt));
    }

    private void Audit(string actorId, string action, Dictionary<string, string> details)
    {
        details["deliveryId"] = grain.Key;
        grain.Project(new AuditEntry(grain.Now, actorId, action, $"delivery:{grain.Key}", details));
    }

    private SiteAccessView View() => new(grain.Key, State.OrderId, State.ProductId, State.Host, State.Account, State.LoginUrl,
        State.SealedCredentials, State.CredentialsVersion, State.ProvisionedAt, State.RotatedAt, State.RevokedAt, State.RevokedReason);

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
