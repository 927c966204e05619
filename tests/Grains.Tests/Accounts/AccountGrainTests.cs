using Courier.Abstractions.Accounts;
using Courier.Abstractions.Audit;
using Courier.Grains.Accounts;
using Courier.Silo.Hosting;
using Courier.Silo.Storage;
using Courier.TestSupport;

namespace Courier.Grains.Tests.Accounts;

public sealed class AccountGrainTests : IAsyncLifetime
{
    private readonly InMemoryStore store = new();
    private TestSilo silo = null!;

    public async Task InitializeAsync() => silo = await TestSilo.StartAsync(store, services => { });

    public async Task DisposeAsync() => await silo.DisposeAsync();

    private IAccountGrain Account(string email) => silo.Grains.GetGrain<IAccountGrain>(AccountEmail.Normalize(email));

    private static AccountRegistration Registration(string id, string email, string? by = null, params string[] roles) =>
        new(id, email, " Ada ", "hash-" + id, roles.Length == 0 ? [Roles.Customer] : roles, by);

    [Fact]
    public async Task Register_new_email_creates_the_account_and_projects_its_row()
    {
        var result = await Account("Ada@Example.com").RegisterAsync(Registration("a1", " Ada@Example.com"));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal("ada@example.com", result.Account!.Email);
        Assert.Equal("Ada", result.Account.DisplayName);
        var row = Assert.Single(store.ReadModel<AccountRow>());
        Assert.Equal(("a1", "ada@example.com"), (row.Id, row.Email));
        Assert.Equal(new AccountCredentials("a1", "hash-a1"), await Account("ada@example.com").GetCredentialsAsync());
    }

    [Fact]
    public async Task Register_taken_email_with_another_id_is_refused_and_keeps_the_first_account()
    {
        await Account("ada@example.com").RegisterAsync(Registration("a1", "ada@example.com"));

        var second = await Account("ADA@example.com").RegisterAsync(Registration("a2", "ADA@example.com"));

        Assert.Equal(RegistrationOutcome.EmailTaken, second.Outcome);
        Assert.Null(second.Account);
        Assert.Equal("a1", (await Account("ada@example.com").GetAsync())!.Id);
    }

    [Fact]
    public async Task Register_repeated_with_the_same_id_is_a_harmless_retry()
    {
        await Account("ada@example.com").RegisterAsync(Registration("a1", "ada@example.com"));

        var again = await Account("ada@example.com").RegisterAsync(Registration("a1", "ada@example.com"));

        Assert.Equal(RegistrationOutcome.Registered, again.Outcome);
        Assert.Single(store.ReadModel<AccountRow>());
    }

    [Fact]
    public async Task Register_by_staff_writes_an_audit_entry_and_self_registration_does_not()
    {
        await Account("self@example.com").RegisterAsync(Registration("s1", "self@example.com"));
        await Account("boss@example.com").RegisterAsync(Registration("b1", "boss@example.com", "system:cli", Roles.Admin));

        var entry = Assert.Single(store.ReadModel<AuditEntry>());
        Assert.Equal(("system:cli", AuditActions.AccountCreated, "account:b1"), (entry.ActorId, entry.Action, entry.Target));
        Assert.Equal("admin", entry.Details["roles"]);
    }

    [Fact]
    public async Task Register_with_an_unknown_role_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Account("x@example.com").RegisterAsync(Registration("x1", "x@example.com", null, "superuser")));

        Assert.Null(await Account("x@example.com").GetAsync());
    }

    [Fact]
    public async Task Notification_preferences_default_to_order_and_delivery_on_marketing_off_and_can_be_changed()
    {
        var account = Account("ada@example.com");
        await account.RegisterAsync(Registration("a1", "ada@example.com"));

        Assert.Equal(new NotificationPreferences(OrderEmails: true, DeliveryEmails: true, MarketingEmails: false), await account.GetNotificationPreferencesAsync());
        await account.UpdateNotificationPreferencesAsync(new NotificationPreferences(OrderEmails: true, DeliveryEmails: false, MarketingEmails: true));

        Assert.Equal(new NotificationPreferences(true, false, true), await account.GetNotificationPreferencesAsync());
    }

    [Fact]
    public async Task Notification_preferences_change_is_audited_as_the_customers_own_and_an_unchanged_save_is_not()
    {
        var account = Account("ada@example.com");
        await account.RegisterAsync(Registration("a1", "ada@example.com"));

        await account.UpdateNotificationPreferencesAsync(new NotificationPreferences(OrderEmails: true, DeliveryEmails: true, MarketingEmails: true));
        await account.UpdateNotificationPreferencesAsync(new NotificationPreferences(OrderEmails: true, DeliveryEmails: true, MarketingEmails: true));

        var entry = Assert.Single(store.ReadModel<AuditEntry>());
        Assert.Equal(("a1", AuditActions.NotificationPreferencesChanged, "account:a1"), (entry.ActorId, entry.Action, entry.Target));
        Assert.Equal("on", entry.Details["marketingEmails"]);
    }

    [Fact]
    public async Task Change_display_name_trims_updates_the_row_and_audits_old_and_new_name()
    {
        var account = Account("ada@example.com");
        await account.RegisterAsync(Registration("a1", "ada@example.com"));

        var renamed = await account.ChangeDisplayNameAsync("  Ada King ");

        Assert.Equal("Ada King", renamed.DisplayName);
        Assert.Equal("Ada King", (await account.GetAsync())!.DisplayName);
        Assert.Equal("Ada King", Assert.Single(store.ReadModel<AccountRow>()).DisplayName);
        var entry = Assert.Single(store.ReadModel<AuditEntry>());
        Assert.Equal(("a1", AuditActions.AccountRenamed), (entry.ActorId, entry.Action));
        Assert.Equal(("Ada", "Ada King"), (entry.Details["from"], entry.Details["to"]));
    }

    [Fact]
    public async Task Change_display_name_of_an_unregistered_email_is_rejected()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Account("nobody@example.com").ChangeDisplayNameAsync("Nobody"));

        Assert.Null(await Account("nobody@example.com").GetAsync());
    }

    [Fact]
    public async Task Upgrade_password_hash_applies_only_over_the_hash_it_was_computed_from()
    {
        var account = Account("ada@example.com");
        await account.RegisterAsync(Registration("a1", "ada@example.com"));

        await account.UpgradePasswordHashAsync("stale", "ignored");
        await account.UpgradePasswordHashAsync("hash-a1", "stronger");

        Assert.Equal("stronger", (await account.GetCredentialsAsync())!.PasswordHash);
    }
}
