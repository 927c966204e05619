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
