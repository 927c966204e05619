using System.Globalization;
using System.Net;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Audit;
using Courier.Grains.Mail;

namespace Courier.Grains.Accounts;

/// <summary>
/// Sessions, devices and passwords. The account's open sessions live in its state, so ending one
/// (sign-out, another device, a password change) holds on every node at once: each request checks
/// its session here. Idle and absolute lifetimes are the web front's policy; it ends what it finds
/// expired.
/// </summary>
internal sealed partial class AccountGrain
{
    /// <summary>Open sessions kept per account; a sign-in beyond it ends the least recently used one.</summary>
    internal const int MaxSessions = 30;

    /// <summary>Devices remembered per account (hashes of their device cookies), most recent last.</summary>
    internal const int MaxKnownDevices = 20;

    /// <summary>Reset e-mails per address in <see cref="ResetRequestWindow"/>: enough for a lost e-mail, too few to flood an inbox.</summary>
    internal const int MaxResetRequests = 3;

    internal static readonly TimeSpan ResetRequestWindow = TimeSpan.FromHours(1);

    public Task<SessionStarted> StartSessionAsync(SessionStart start)
    {
        var state = RegisteredOrThrow("open a session");
        if (state.Sessions.Any(s => s.Id == start.SessionId))
            return Task.FromResult(new SessionStarted(View(state), NewDevice: false)); // a retried call

        var newDevice = !start.ByRegistration && state.KnownDevices.Count > 0 && !state.KnownDevices.Contains(start.DeviceHash);
        state.KnownDevices.Remove(start.DeviceHash);
        state.KnownDevices.Add(start.DeviceHash);
        if (state.KnownDevices.Count > MaxKnownDevices) state.KnownDevices.RemoveAt(0);

        while (state.Sessions.Count >= MaxSessions)
            End(state.Sessions.MinBy(s => s.LastSeenAt)!, SessionEndings.TooManySessions);
        state.Sessions.Add(new AccountSession(start.SessionId, start.Device, start.IpAddress, grain.Now, grain.Now));
        grain.Journal(new AccountSessionStarted(start.SessionId, start.Device, start.IpAddress, newDevice));

        if (newDevice)
        {
            grain.Project(SelfServiceAudit(state, AuditActions.SignedInFromNewDevice, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["device"] = start.Device,
                ["ip"] = start.IpAddress ?? "unknown",
            }));
            SendNewSignInEmail(state, start);
        }
        return Task.FromResult(new SessionStarted(View(state), newDevice));
    }

    public Task<SessionCheck?> CheckSessionAsync(string sessionId) =>
        Task.FromResult(grain.State is { Id: not null } state && state.Sessions.Find(s => s.Id == sessionId) is { } session
            ? new SessionCheck(View(state), session)
            : null);

    public Task SessionSeenAsync(string sessionId, string? ipAddress)
    {
        var sessions = grain.State.Sessions;
        var index = sessions.FindIndex(s => s.Id == sessionId);
        if (index >= 0) sessions[index] = sessions[index] with { LastSeenAt = grain.Now, IpAddress = ipAddress ?? sessions[index].IpAddress };
        return Task.CompletedTask;
    }

    public Task EndSessionAsync(string sessionId, string reason)
    {
        if (grain.State.Sessions.Find(s => s.Id == sessionId) is { } session) End(session, reason);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AccountSession>> ListSessionsAsync() =>
        Task.FromResult<IReadOnlyList<AccountSession>>([.. grain.State.Sessions.OrderByDescending(s => s.LastSeenAt)]);

    public Task<bool> RevokeSessionAsync(string sessionId, string bySessionId)
    {
        var state = RegisteredOrThrow("sign out a device");
        if (state.Sessions.Find(s => s.Id == sessionId) is not { } session) return Task.FromResult(false);
        End(session, SessionEndings.RevokedByOwner);
        grain.Project(SelfServiceAudit(state, AuditActions.SessionRevoked, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["session"] = sessionId,
            ["device"] = session.Device,
            ["by"] = bySessionId,
        }));
        return Task.FromResult(true);
    }

    public Task<int> RevokeOtherSessionsAsync(string keepSessionId)
    {
        var state = RegisteredOrThrow("sign out its other devices");
        var ended = EndAllBut(state, keepSessionId, SessionEndings.RevokedByOwner);
        grain.Project(SelfServiceAudit(state, AuditActions.OtherSessionsRevoked, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ended"] = ended.ToString(CultureInfo.InvariantCulture),
            ["kept"] = keepSessionId,
        }));
        return Task.FromResult(ended);
    }

    public Task<bool> ChangePasswordAsync(PasswordChange change)
    {
        var state = RegisteredOrThrow("change its password");
        if (state.PasswordHash != change.PreviousHash) return Task.FromResult(false);
        state.PasswordHash = change.NewHash;
        state.PasswordReset = null; // a link asked for before the change must not undo it
        var ended = EndAllBut(state, change.KeepSessionId, SessionEndings.PasswordChanged);
        grain.Journal(new AccountPasswordChanged("changed by its owner", ended));
        grain.Project(SelfServiceAudit(state, AuditActions.PasswordChanged, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sessionsEnded"] = ended.ToString(CultureInfo.InvariantCulture),
        }));
        SendPasswordChangedEmail(state, "changed from your account's security page");
        return Task.FromResult(true);
    }

    public Task<PasswordResetRequestOutcome> RequestPasswordResetAsync(PasswordResetRequest request)
    {
        var state = grain.State;
        if (state.Id is null) return Task.FromResult(PasswordResetRequestOutcome.NoAccount);
        state.PasswordResetRequests.RemoveAll(at => at <= grain.Now - ResetRequestWindow);
        if (state.PasswordResetRequests.Count >= MaxResetRequests) return Task.FromResult(PasswordResetRequestOutcome.TooMany);

        state.PasswordResetRequests.Add(grain.Now);
        state.PasswordReset = new PendingPasswordReset(request.ResetId, request.ExpiresAt);
        grain.Journal(new AccountPasswordResetRequested(request.ResetId, request.ExpiresAt, request.IpAddress));
        grain.Project(SelfServiceAudit(state, AuditActions.PasswordResetRequested, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ip"] = request.IpAddress ?? "unknown",
        }));
        grain.Send(new SendPasswordResetEmail(state.Email!, state.Id, request.ResetId, request.ExpiresAt, request.IpAddress));
        return Task.FromResult(PasswordResetRequestOutcome.Sent);
    }

    public Task<PasswordResetOutcome> ResetPasswordAsync(string resetId, string newHash)
    {
        var state = grain.State;
        if (state.Id is null || state.PasswordReset is not { } pending || pending.Id != resetId)
            return Task.FromResult(PasswordResetOutcome.NotValid);
        if (grain.Now >= pending.ExpiresAt) return Task.FromResult(PasswordResetOutcome.Expired);

        state.PasswordHash = newHash;
        state.PasswordReset = null;
        var ended = EndAllBut(state, keepSessionId: null, SessionEndings.PasswordReset);
        grain.Journal(new AccountPasswordChanged("reset by e-mail link", ended));
        grain.Project(SelfServiceAudit(state, AuditActions.PasswordReset, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sessionsEnded"] = ended.ToString(CultureInfo.InvariantCulture),
        }));
        SendPasswordChangedEmail(state, "reset with the link we e-mailed you");
        return Task.FromResult(PasswordResetOutcome.Reset);
    }

    public Task<string?> DeleteAsync(string actorId)
    {
        var state = grain.State;
        if (state.Id is not { } id) return Task.FromResult<string?>(null);
        foreach (var session in state.Sessions.ToList()) End(session, "account deleted");
        grain.Journal(new AccountDeleted(id, actorId == id ? "owner" : actorId));
        grain.Project(new AuditEntry(grain.Now, actorId, AuditActions.AccountDeleted, $"account:{id}", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["by"] = actorId == id ? "owner" : "admin",
        }));
        grain.Project(new DeletedAccountRow(id));
        grain.Send(new EraseAccountTraces(id, grain.Key, grain.Version));
        state.Erase();
        return Task.FromResult<string?>(id);
    }

    public Task NoteDataExportedAsync(string actorId)
    {
        var state = RegisteredOrThrow("export its data");
        grain.Project(new AuditEntry(grain.Now, actorId, AuditActions.DataExported, $"account:{state.Id}", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["by"] = actorId == state.Id ? "owner" : "admin",
        }));
        return Task.CompletedTask;
    }

    private int EndAllBut(AccountState state, string? keepSessionId, string reason)
    {
        var ending = state.Sessions.Where(s => s.Id != keepSessionId).ToList();
        foreach (var session in ending) End(session, reason);
        return ending.Count;
    }

    private void End(AccountSession session, string reason)
    {
        grain.State.Sessions.Remove(session);
        grain.Journal(new AccountSessionEnded(session.Id, reason));
    }

    private void SendNewSignInEmail(AccountState state, SessionStart start)
    {
        var when = grain.Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var from = start.IpAddress is { } ip ? $" from {ip}" : "";
        grain.Send(new SendEmail(state.Email!, "New sign-in to your account",
            $"Your account was just signed in to on a device it has not used before: {start.Device}{from}, {when}.\n\n" +
            "If this was you, there is nothing to do.\n\n" +
            "If it was not, change your password and sign out the devices you do not recognise: {base}/account/security\n",
            $"<p>Your account was just signed in to on a device it has not used before: <strong>{Html(start.Device)}</strong>{Html(from)}, {when}.</p>" +
            "<p>If this was you, there is nothing to do.</p>" +
            "<p>If it was not, <a href=\"{base}/account/security\">change your password and sign out the devices you do not recognise</a>.</p>",
            "new-sign-in", OrderId: null));
    }

    private void SendPasswordChangedEmail(AccountState state, string how)
    {
        var when = grain.Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        grain.Send(new SendEmail(state.Email!, "Your password was changed",
            $"The password of your account was {how} on {when}, and every other device was signed out.\n\n" +
            "If you did not do this, reset your password now: {base}/forgot-password\n",
            $"<p>The password of your account was {Html(how)} on {when}, and every other device was signed out.</p>" +
            "<p>If you did not do this, <a href=\"{base}/forgot-password\">reset your password now</a>.</p>",
            "password-changed", OrderId: null));
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
