using Courier.Abstractions.Runtime;
using Orleans;
namespace Courier.Abstractions.Accounts;

[Alias("AccountRegistered")]
public sealed record AccountRegistered(string AccountId, IReadOnlyList<string> Roles, string? RegisteredBy) : IJournalEntry;

[Alias("AccountPasswordHashUpgraded")]
public sealed record AccountPasswordHashUpgraded(string AccountId) : IJournalEntry;

[Alias("AccountDisplayNameChanged")]
public sealed record AccountDisplayNameChanged(string DisplayName) : IJournalEntry;

[Alias("NotificationPreferencesChanged")]
public sealed record NotificationPreferencesChanged(NotificationPreferences Preferences) : IJournalEntry;
