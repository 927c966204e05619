namespace Courier.Abstractions.Accounts;

public sealed record AccountRegistered(string AccountId, IReadOnlyList<string> Roles, string? RegisteredBy);

public sealed record AccountPasswordHashUpgraded(string AccountId);

public sealed record AccountDisplayNameChanged(string DisplayName);

public sealed record NotificationPreferencesChanged(NotificationPreferences Preferences);
