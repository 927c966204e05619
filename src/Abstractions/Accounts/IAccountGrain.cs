using Orleans.Concurrency;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Accounts;

/// <summary>
/// One account, keyed by its normalized e-mail (<see cref="AccountEmail.Normalize"/>), which makes
/// registration unique without races: the grain runs one call at a time.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the account. Returns <see cref="RegistrationOutcome.EmailTaken"/> when the e-mail is
    /// already registered to another account id; repeating a registration with the same account id
    /// returns <see cref="RegistrationOutcome.Registered"/> again (safe to retry).
    /// </summary>
    Task<RegistrationResult> RegisterAsync(AccountRegistration registration);

    /// <summary>The account, or null when nobody registered this e-mail.</summary>
    [ReadOnly] Task<AccountView?> GetAsync();

    /// <summary>The stored password hash for sign-in checks, or null when there is no account.</summary>
    [ReadOnly] Task<AccountCredentials?> GetCredentialsAsync();

    /// <summary>Replaces the hash after a successful sign-in found it made with weaker settings.</summary>
    Task UpgradePasswordHashAsync(string previousHash, string newHash);

    /// <summary>The customer renames themselves (already validated, trimmed by the grain); audited as their own change.</summary>
    Task<AccountView> ChangeDisplayNameAsync(string displayName);

    [ReadOnly] Task<NotificationPreferences> GetNotificationPreferencesAsync();

    /// <summary>Stores the customer's choice; a real change is journaled and audited as their own change.</summary>
    Task<NotificationPreferences> UpdateNotificationPreferencesAsync(NotificationPreferences preferences);

    /// <summary>Opens a session after the caller checked the password; e-mails the owner when the device is new to the account.</summary>
    Task<SessionStarted> StartSessionAsync(SessionStart start);

    /// <summary>The open session <paramref name="sessionId"/> with the account as it is now; null when it ended or never existed.</summary>
    [ReadOnly] Task<SessionCheck?> CheckSessionAsync(string sessionId);

    /// <summary>Records that the session was used (the caller calls this at most about once a minute per session).</summary>
    Task SessionSeenAsync(string sessionId, string? ipAddress);

    /// <summary>Ends one session (sign-out, or the caller found it idle or too old). Ending an ended session does nothing.</summary>
    Task EndSessionAsync(string sessionId, string reason);

    /// <summary>The open sessions, most recently used first.</summary>
    [ReadOnly] Task<IReadOnlyList<AccountSession>> ListSessionsAsync();

    /// <summary>The owner signs out device <paramref name="sessionId"/> from session <paramref name="bySessionId"/>; audited. False when there was no such open session.</summary>
    Task<bool> RevokeSessionAsync(string sessionId, string bySessionId);

    /// <summary>The owner signs out every session but <paramref name="keepSessionId"/>; audited. Returns how many ended.</summary>
    Task<int> RevokeOtherSessionsAsync(string keepSessionId);

    /// <summary>Sets a new password; every other session ends, the owner is e-mailed, the change is audited. False when the password changed meanwhile.</summary>
    Task<bool> ChangePasswordAsync(PasswordChange change);

    /// <summary>Issues a single-use reset link by e-mail (it replaces any earlier one); a few per hour at most.</summary>
    Task<PasswordResetRequestOutcome> RequestPasswordResetAsync(PasswordResetRequest request);

    /// <summary>
    /// Deletes the account: every session ends, its profile, password, devices and preferences are
    /// erased, its row leaves the accounts list, and the address may register again. Audited with
    /// <paramref name="actorId"/> (the owner, or an admin on the owner's request). Returns the id the
    /// account had, or null when there was none.
    /// </summary>
    Task<string?> DeleteAsync(string actorId);

    /// <summary>Audits that everything Courier holds about the account was downloaded, by its owner or by admin <paramref name="actorId"/>.</summary>
    Task NoteDataExportedAsync(string actorId);

    /// <summary>Uses reset link <paramref name="resetId"/>: sets the password, ends every session, e-mails the owner; audited.</summary>
    Task<PasswordResetOutcome> ResetPasswordAsync(string resetId, string newHash);
}

/// <param name="AccountId">A new id made by the caller (grains make no random values).</param>
/// <param name="Email">The address as typed; it must normalize to the grain's key.</param>
/// <param name="PasswordHash">Computed by the caller (the hash has a random salt).</param>
/// <param name="RegisteredBy">Who created the account for someone else (an admin id, "system:cli"…); null for self-registration. Set means the creation is audited.</param>
public sealed record AccountRegistration(
    string AccountId,
    string Email,
    string DisplayName,
    string PasswordHash,
    IReadOnlyList<string> Roles,
    string? RegisteredBy = null);

public enum RegistrationOutcome
{
    Registered,
    EmailTaken,
}

/// <param name="Account">The account when registered; null when the e-mail was taken.</param>
public sealed record RegistrationResult(RegistrationOutcome Outcome, AccountView? Account);

public sealed record AccountView(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

public sealed record AccountCredentials(string AccountId, string PasswordHash);

/// <summary>Which e-mails the customer wants. Order and delivery mails are on, marketing off, until changed.</summary>
public sealed record NotificationPreferences(bool OrderEmails = true, bool DeliveryEmails = true, bool MarketingEmails = false);
