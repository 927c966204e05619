using Courier.Abstractions.Accounts;
using Courier.Grains.Accounts;
using Courier.Grains.Mail;
using Courier.Silo.Hosting;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Grains.Tests.Accounts;

/// <summary>Sessions, devices and passwords as the account grain keeps them, with a clock the tests move.</summary>
public sealed class AccountSecurityTests : IAsyncLifetime
{
    private readonly InMemoryStore store = new();
    private readonly RecordingOutboxHandler<SendEmail> emails = new();
    private readonly RecordingOutboxHandler<SendPasswordResetEmail> resetEmails = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
    private TestSilo silo = null!;

    public async Task InitializeAsync()
    {
        silo = await TestSilo.StartAsync(store, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(emails);
            services.AddOutboxHandler<SendEmail, RecordingOutboxHandler<SendEmail>>();
            services.AddSingleton(resetEmails);
            services.AddOutboxHandler<SendPasswordResetEmail, RecordingOutboxHandler<SendPasswordResetEmail>>();
        });
        await Account.RegisterAsync(new AccountRegistration("a1", "ada@example.com", "Ada", "hash-1", [Roles.Customer]));
    }

    public async Task DisposeAsync() => await silo.DisposeAsync();

    private IAccountGrain Account => silo.Grains.GetGrain<IAccountGrain>("ada@example.com");

    private static SessionStart Start(string id, string device = "device-a", bool byRegistration = false) =>
        new(id, device, "Chrome on macOS", "203.0.113.9", byRegistration);

    private IReadOnlyList<SendEmail> Emails(string kind) => [.. emails.Received.Where(m => m.Kind == kind)];

    [Fact]
    public async Task Only_a_device_new_to_an_account_that_has_known_devices_is_announced()
    {
        Assert.False((await Account.StartSessionAsync(Start("s1", "device-a", byRegistration: true))).NewDevice);
        Assert.False((await Account.StartSessionAsync(Start("s2", "device-a"))).NewDevice);

        var stranger = await Account.StartSessionAsync(Start("s3", "device-b"));
        var again = await Account.StartSessionAsync(Start("s4", "device-b"));

        Assert.True(stranger.NewDevice);
        Assert.False(again.NewDevice);
        await Eventually.TrueAsync(() => Emails("new-sign-in").Count > 0);
        var mail = Assert.Single(Emails("new-sign-in"));
        Assert.Contains("203.0.113.9", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_the_same_session_twice_is_a_harmless_retry()
    {
        await Account.StartSessionAsync(Start("s1"));
        await Account.StartSessionAsync(Start("s1"));

        Assert.Single(await Account.ListSessionsAsync());
    }

    [Fact]
    public async Task A_sign_in_beyond_the_session_limit_ends_the_least_recently_used_session()
    {
        for (var i = 0; i < AccountGrain.MaxSessions; i++)
        {
            await Account.StartSessionAsync(Start($"s{i}"));
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        await Account.SessionSeenAsync("s0", null); // s1 is now the least recently used

        await Account.StartSessionAsync(Start("newest"));

        var open = (await Account.ListSessionsAsync()).Select(s => s.Id).ToList();
        Assert.Equal(AccountGrain.MaxSessions, open.Count);
        Assert.Contains("s0", open);
        Assert.DoesNotContain("s1", open);
        Assert.Null(await Account.CheckSessionAsync("s1"));
    }

    [Fact]
    public async Task A_password_change_based_on_a_stale_hash_changes_nothing()
    {
        await Account.StartSessionAsync(Start("s1"));
        await Account.StartSessionAsync(Start("s2"));

        Assert.False(await Account.ChangePasswordAsync(new PasswordChange("hash-old", "hash-2", "s1")));

        Assert.Equal("hash-1", (await Account.GetCredentialsAsync())!.PasswordHash);
        Assert.Equal(2, (await Account.ListSessionsAsync()).Count);
        Assert.Empty(Emails("password-changed"));
    }

    [Fact]
    public async Task A_reset_link_works_for_its_time_only_and_a_password_change_cancels_it()
    {
        await Account.RequestPasswordResetAsync(new PasswordResetRequest("r1", clock.GetUtcNow().AddMinutes(30), null));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(PasswordResetOutcome.Expired, await Account.ResetPasswordAsync("r1", "hash-2"));

        await Account.RequestPasswordResetAsync(new PasswordResetRequest("r2", clock.GetUtcNow().AddMinutes(30), null));
        await Account.StartSessionAsync(Start("s1"));
        await Account.ChangePasswordAsync(new PasswordChange("hash-1", "hash-3", "s1"));

        Assert.Equal(PasswordResetOutcome.NotValid, await Account.ResetPasswordAsync("r2", "hash-4"));
        Assert.Equal("hash-3", (await Account.GetCredentialsAsync())!.PasswordHash);
    }

    [Fact]
    public async Task Reset_requests_are_limited_per_hour_and_allowed_again_after_it()
    {
        for (var i = 0; i < AccountGrain.MaxResetRequests; i++)
            Assert.Equal(PasswordResetRequestOutcome.Sent, await Account.RequestPasswordResetAsync(new PasswordResetRequest($"r{i}", clock.GetUtcNow().AddMinutes(30), null)));

        Assert.Equal(PasswordResetRequestOutcome.TooMany, await Account.RequestPasswordResetAsync(new PasswordResetRequest("rx", clock.GetUtcNow().AddMinutes(30), null)));
        clock.Advance(AccountGrain.ResetRequestWindow);
        Assert.Equal(PasswordResetRequestOutcome.Sent, await Account.RequestPasswordResetAsync(new PasswordResetRequest("ry", clock.GetUtcNow().AddMinutes(30), null)));
        await Eventually.TrueAsync(() => resetEmails.Received.Count == AccountGrain.MaxResetRequests + 1);
    }

    [Fact]
    public async Task An_address_without_an_account_gets_no_reset_email()
    {
        var nobody = silo.Grains.GetGrain<IAccountGrain>("nobody@example.com");

        Assert.Equal(PasswordResetRequestOutcome.NoAccount, await nobody.RequestPasswordResetAsync(new PasswordResetRequest("r1", clock.GetUtcNow().AddMinutes(30), null)));
        await Task.Delay(200); // what a commit sends is dispatched at once
        Assert.Empty(resetEmails.Received);
    }
}
