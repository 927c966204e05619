using Courier.Abstractions.Accounts;
using Courier.Abstractions.Audit;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Accounts;

[Orleans.GrainType("Courier.Grains.Accounts.AccountGrain")]
internal sealed partial class AccountGrain([GrainContext] IGrainContext<AccountState> grain) : Grain, IAccountGrain
{
    public Task<RegistrationResult> RegisterAsync(AccountRegistration registration)
    {
        var state = grain.State;
        if (state.Id is not null)
            return Task.FromResult(state.Id == registration.AccountId
                ? new RegistrationResult(RegistrationOutcome.Registered, View(state))
                : new RegistrationResult(RegistrationOutcome.EmailTaken, null));

        if (AccountEmail.Normalize(registration.Email) != grain.Key)
            throw new ArgumentException($"The e-mail {registration.Email} does not belong to account grain {grain.Key}; get the grain by AccountEmail.Normalize(email).", nameof(registration));
        if (registration.Roles.Count == 0 || !registration.Roles.All(Roles.IsKnown))
            throw new ArgumentException($"An account needs at least one of the roles {string.Join(", ", Roles.All)}.", nameof(registration));

        state.Id = registration.AccountId;
        state.Email = grain.Key;
        state.DisplayName = registration.DisplayName.Trim();
        state.PasswordHash = registration.PasswordHash;
        state.Roles = [.. registration.Roles.Distinct(StringComparer.Ordinal)];
        state.CreatedAt = grain.Now;

        grain.Journal(new AccountRegistered(state.Id, state.Roles, registration.RegisteredBy));
        grain.Project(Row(state));
        if (registration.RegisteredBy is { } actor)
            grain.Project(new AuditEntry(grain.Now, actor, AuditActions.AccountCreated, $"account:{state.Id}",
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["email"] = state.Email,
                    ["roles"] = string.Join(",", state.Roles),
                }));
        return Task.FromResult(new RegistrationResult(RegistrationOutcome.Registered, View(state)));
    }

    public Task<AccountView?> GetAsync() =>
        Task.FromResult(grain.State.Id is null ? null : View(grain.State));

    public Task<AccountCredentials?> GetCredentialsAsync() =>
        Task.FromResult(grain.State is { Id: { } id, PasswordHash: { } hash } ? new AccountCredentials(id, hash) : null);

    public Task UpgradePasswordHashAsync(string previousHash, string newHash)
    {
        var state = grain.State;
        // A password change that happened in between wins over a stale upgrade.
        if (state.Id is null || state.PasswordHash != previousHash) return Task.CompletedTask;
        state.PasswordHash = newHash;
        grain.Journal(new AccountPasswordHashUpgraded(state.Id));
        return Task.CompletedTask;
    }

    public Task<AccountView> ChangeDisplayNameAsync(string displayName)
    {
        var state = RegisteredOrThrow("change its name");
        var name = displayName.Trim();
        if (name.Length == 0)
            throw new ArgumentException("A display name cannot be empty; check it with RegistrationRules.DisplayNameProblem first.", nameof(displayName));
        if (name == state.DisplayName) return Task.FromResult(View(state));

        var previous = state.DisplayName!;
        state.DisplayName = name;
        grain.Journal(new AccountDisplayNameChanged(name));
        grain.Project(Row(state));
        grain.Project(SelfServiceAudit(state, AuditActions.AccountRenamed, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["from"] = previous,
            ["to"] = name,
        }));
        return Task.FromResult(View(state));
    }

    public Task<NotificationPreferences> GetNotificationPreferencesAsync() =>
        Task.FromResult(grain.State.NotificationPreferences);

    public Task<NotificationPreferences> UpdateNotificationPreferencesAsync(NotificationPreferences preferences)
    {
        var state = RegisteredOrThrow("change its notification preferences");
        if (state.NotificationPreferences == preferences) return Task.FromResult(preferences);
        state.NotificationPreferences = preferences;
        grain.Journal(new NotificationPreferencesChanged(preferences));
        grain.Project(SelfServiceAudit(state, AuditActions.NotificationPreferencesChanged, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["orderEmails"] = OnOff(preferences.OrderEmails),
            ["deliveryEmails"] = OnOff(preferences.DeliveryEmails),
            ["marketingEmails"] = OnOff(preferences.MarketingEmails),
        }));
        return Task.FromResult(preferences);
    }

    private AccountState RegisteredOrThrow(string toDo) =>
        grain.State.Id is null
            ? throw new InvalidOperationException($"There is no account for {grain.Key}; register it before asking it to {toDo}.")
            : grain.State;

    /// <summary>A change the customer made to their own account: they are the actor.</summary>
    private AuditEntry SelfServiceAudit(AccountState state, string action, IReadOnlyDictionary<string, string> details) =>
        new(grain.Now, state.Id!, action, $"account:{state.Id}", details);

    private static string OnOff(bool on) => on ? "on" : "off";

    private static AccountView View(AccountState state) =>
        new(state.Id!, state.Email!, state.DisplayName!, state.Roles, state.CreatedAt);

    private static AccountRow Row(AccountState state) =>
        new(state.Id!, state.Email!, state.DisplayName!, state.Roles, state.CreatedAt);
}

internal sealed class AccountState
{
    public string? Id { get; set; }
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? PasswordHash { get; set; }
    public List<string> Roles { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public NotificationPreferences NotificationPreferences { get; set; } = new();
    public List<AccountSession> Sessions { get; set; } = [];
    public List<string> KnownDevices { get; set; } = [];
    public PendingPasswordReset? PasswordReset { get; set; }
    public List<DateTimeOffset> PasswordResetRequests { get; set; } = [];

    /// <summary>Forgets everything: the account is deleted and the address may register again.</summary>
    public void Erase()
    {
        Id = null;
        Email = null;
        DisplayName = null;
        PasswordHash = null;
        Roles = [];
        CreatedAt = default;
        NotificationPreferences = new();
        Sessions = [];
        KnownDevices = [];
        PasswordReset = null;
        PasswordResetRequests = [];
    }
}

internal sealed record PendingPasswordReset(string Id, DateTimeOffset ExpiresAt);
