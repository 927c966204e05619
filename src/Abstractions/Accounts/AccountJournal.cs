using Courier.Abstractions.Runtime;
namespace Courier.Abstractions.Accounts;

[Orleans.Alias("AccountRegistered")]
public sealed record AccountRegistered(string AccountId, IReadOnlyList<string> Roles, string? RegisteredBy) : IJournalEntry;

[Orleans.Alias("AccountPasswordHashUpgraded")]
public sealed record AccountPasswordHashUpgraded(string AccountId) : IJournalEntry;

[Orleans.Alias("AccountDisplayNameChanged")]
public sealed record AccountDisplayNameChanged(string DisplayName) : IJournalEntry;

[Orleans.Alias("NotificationPreferencesChanged")]
public sealed record NotificationPreferencesChanged(NotificationPreferences Preferences) : IJournalEntry;

[Orleans.Alias("AccountDeleted")]
public sealed record AccountDeleted(string AccountId, string By) : IJournalEntry;

[Orleans.Alias("AccountSessionStarted")]
public sealed record AccountSessionStarted(string SessionId, string Device, string? IpAddress, bool NewDevice) : IJournalEntry;

[Orleans.Alias("AccountSessionEnded")]
public sealed record AccountSessionEnded(string SessionId, string Reason) : IJournalEntry;

[Orleans.Alias("AccountPasswordChanged")]
public sealed record AccountPasswordChanged(string Why, int SessionsEnded) : IJournalEntry;

[Orleans.Alias("AccountPasswordResetRequested")]
public sealed record AccountPasswordResetRequested(string ResetId, DateTimeOffset ExpiresAt, string? IpAddress) : IJournalEntry;
