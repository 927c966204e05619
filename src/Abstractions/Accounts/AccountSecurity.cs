namespace Courier.Abstractions.Accounts;

/// <summary>A sign-in about to become a session.</summary>
/// <param name="SessionId">A new random id made by the caller (grains make no random values); the session cookie carries it.</param>
/// <param name="DeviceHash">A hash of the browser's long-lived device cookie: a device the account has not used before gets a "new sign-in" e-mail.</param>
/// <param name="Device">What the person would call the device ("Chrome on macOS"), from its user agent.</param>
/// <param name="IpAddress">The client address the sign-in came from.</param>
/// <param name="ByRegistration">The session of a registration: its device becomes the account's first known device, no e-mail.</param>
public sealed record SessionStart(string SessionId, string DeviceHash, string Device, string? IpAddress, bool ByRegistration = false);

/// <param name="NewDevice">True when the account had known devices and this was not one of them (the owner was e-mailed).</param>
public sealed record SessionStarted(AccountView Account, bool NewDevice);

/// <summary>One session of an account, as its owner sees it in the list of signed-in devices.</summary>
public sealed record AccountSession(string Id, string Device, string? IpAddress, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt);

/// <summary>A session that is still open, with the account it belongs to (roles and name as they are now).</summary>
public sealed record SessionCheck(AccountView Account, AccountSession Session);

/// <summary>Why a session ended, as the journal and the audit log say it.</summary>
public static class SessionEndings
{
    public const string SignedOut = "signed out";
    public const string IdleTooLong = "idle too long";
    public const string LifetimeReached = "lifetime reached";
    public const string RevokedByOwner = "signed out from another device";
    public const string PasswordChanged = "password changed";
    public const string PasswordReset = "password reset";
    public const string TooManySessions = "too many sessions";
}

/// <summary>A password change the owner made while signed in; the caller checked the current password against <paramref name="PreviousHash"/>.</summary>
/// <param name="KeepSessionId">The session the change was made from: it stays open, every other session ends.</param>
public sealed record PasswordChange(string PreviousHash, string NewHash, string KeepSessionId);

/// <summary>A request for a password-reset e-mail.</summary>
/// <param name="ResetId">A new random id made by the caller; the link's token is this id signed with the store's key, so the token itself is stored nowhere.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
/// <param name="IpAddress">Where the request came from (said in the e-mail and the audit log).</param>
public sealed record PasswordResetRequest(string ResetId, DateTimeOffset ExpiresAt, string? IpAddress);

public enum PasswordResetRequestOutcome
{
    /// <summary>An e-mail with the link is on its way.</summary>
    Sent,
    /// <summary>Nobody registered this address: nothing is sent (the caller answers exactly as for <see cref="Sent"/>).</summary>
    NoAccount,
    /// <summary>Too many links were asked for this address recently: nothing is sent.</summary>
    TooMany,
}

public enum PasswordResetOutcome
{
    Reset,
    /// <summary>The link was used already, replaced by a newer one, or never issued.</summary>
    NotValid,
    Expired,
}
