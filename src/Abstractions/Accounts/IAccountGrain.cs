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
