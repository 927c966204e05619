using System.Net;
using Courier.TestSupport;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Courier.Silo.Accounts;
using Courier.Silo.Migrations;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>Its own host: the throttle counts per client address, and every test client shares one.</summary>
public sealed class SignInThrottleApiTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Eleventh_rapid_failure_is_a_429_with_Retry_After_even_with_the_right_password()
    {
        var email = $"target-{Guid.NewGuid():N}@example.com";
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(email, "correct horse battery")).Dispose();
        (await browser.PostAsync("/api/auth/logout")).Dispose();

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var failed = await browser.LoginAsync(email, $"guess number {attempt}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using var throttled = await browser.LoginAsync(email, "correct horse battery");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var retryAfter = throttled.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        var problem = await Problem.ReadAsync(throttled);
        Assert.Contains("wait 15 minutes", problem.Detail, StringComparison.Ordinal);
    }
}

/// <summary>
/// Its own host, for the same reason as <see cref="SignInThrottleApiTests"/>: the changes that ask for
/// the password count wrong ones as failed sign-ins, so a session cookie in the wrong hands does not
/// buy unlimited guesses at the password.
/// </summary>
public sealed class PasswordConfirmationThrottleTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Wrong_current_passwords_are_limited_like_sign_ins_for_a_password_change_and_a_deletion()
    {
        var email = $"stolen-{Guid.NewGuid():N}@example.com";
        using var session = await new ApiSession(factory).OpenAsync();
        (await session.RegisterAsync(email, Password)).EnsureSuccessStatusCode();

        for (var guess = 1; guess <= 10; guess++)
        {
            using var wrong = await ChangePasswordAsync(session, $"guess number {guess}");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        using var change = await ChangePasswordAsync(session, Password);
        using var deletion = await session.PostAsync("/api/me/delete", new { password = Password, confirm = true });

        Assert.Equal(HttpStatusCode.TooManyRequests, change.StatusCode);
        Assert.InRange(change.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.TooManyRequests, deletion.StatusCode);
        using var me = await session.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode); // neither went through: the account and its session are as they were
        using var elsewhere = await new ApiSession(factory).OpenAsync();
        using var signIn = await elsewhere.LoginAsync(email, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode); // one count with the sign-in form's
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(ApiSession session, string currentPassword)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/me/password", UriKind.Relative))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { currentPassword, newPassword = "a brand new passphrase" }),
        };
        request.Headers.Add("X-XSRF-TOKEN", session.XsrfToken);
        return session.Client.SendAsync(request);
    }
}

/// <summary>The throttle's counting, on PostgreSQL with a clock the tests move; two instances stand for two nodes.</summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly List<NpgsqlDataSource> dataSources = [];
    private TestDatabase database = null!;
    private SignInThrottle throttle = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        throttle = Node();
        await new MigrationRunner(dataSources[0], NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources) await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>A throttle as one node has it: its own connection pool, nothing in memory shared with another.</summary>
    private SignInThrottle Node()
    {
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        dataSources.Add(dataSource);
        return new SignInThrottle(new SignInActivity(dataSource, clock),
            Options.Create(new SignInThrottleOptions { MaxFailures = 3, Window = TimeSpan.FromMinutes(15), MaxRegistrationsPerAddress = 2 }), clock);
    }

    [Fact]
    public async Task Failures_up_to_the_limit_are_allowed_and_the_next_waits_until_the_oldest_ages_out()
    {
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.1");
        clock.Advance(TimeSpan.FromMinutes(1));
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.1");
        Assert.Null(await throttle.RetryAfterAsync("ada@example.com", "10.0.0.1"));
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.1");

        Assert.Equal(TimeSpan.FromMinutes(14), await throttle.RetryAfterAsync("ada@example.com", "10.0.0.1"));
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Null(await throttle.RetryAfterAsync("ada@example.com", "10.0.0.1"));
    }

    [Fact]
    public async Task Account_is_locked_from_every_address()
    {
        foreach (var address in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })
            await throttle.RecordFailureAsync("ada@example.com", address);

        Assert.NotNull(await throttle.RetryAfterAsync("ada@example.com", "192.168.1.9"));
        Assert.Null(await throttle.RetryAfterAsync("bob@example.com", "192.168.1.9"));
    }

    [Fact]
    public async Task Address_guessing_many_accounts_is_throttled_and_a_success_elsewhere_does_not_reset_it()
    {
        await throttle.RecordFailureAsync("a@example.com", "10.0.0.1");
        await throttle.RecordFailureAsync("b@example.com", "10.0.0.1");
        await throttle.RecordFailureAsync("c@example.com", "10.0.0.1");

        await throttle.RecordSuccessAsync("mine@example.com", "10.0.0.1");

        Assert.NotNull(await throttle.RetryAfterAsync("d@example.com", "10.0.0.1"));
        Assert.Null(await throttle.RetryAfterAsync("d@example.com", "10.0.0.2"));
    }

    [Fact]
    public async Task Success_clears_the_accounts_own_failures()
    {
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.1");
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.2");

        await throttle.RecordSuccessAsync("ada@example.com", "10.0.0.2");
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.3");
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.3");

        Assert.Null(await throttle.RetryAfterAsync("ada@example.com", "10.0.0.4"));
    }

    [Fact]
    public async Task Failures_counted_on_one_node_lock_the_account_on_another()
    {
        var otherNode = Node();
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.1");
        await otherNode.RecordFailureAsync("ada@example.com", "10.0.0.2");
        await throttle.RecordFailureAsync("ada@example.com", "10.0.0.3");

        Assert.NotNull(await otherNode.RetryAfterAsync("ada@example.com", "10.0.0.4"));
        Assert.NotNull(await throttle.RetryAfterAsync("ada@example.com", "10.0.0.4"));
    }

    [Fact]
    public async Task Hosted_site_failures_do_not_count_against_the_store()
    {
        var sites = new SignInThrottle(new SignInActivity(dataSources[0], clock),
            Options.Create(new SignInThrottleOptions { MaxFailures = 3 }), clock, SignInActivityKinds.SiteFailed, SignInActivityKinds.SiteSucceeded);
        for (var i = 0; i < 3; i++) await sites.RecordFailureAsync("site_1", "10.0.0.1");

        Assert.NotNull(await sites.RetryAfterAsync("site_1", "10.0.0.1"));
        Assert.Null(await throttle.RetryAfterAsync("ada@example.com", "10.0.0.1"));
    }

    [Fact]
    public async Task Registrations_are_limited_per_address_across_nodes()
    {
        var activity = new SignInActivity(dataSources[0], clock);
        await activity.RecordAsync(SignInActivityKinds.Registered, "a@example.com", "10.0.0.1");
        Assert.Null(await throttle.RegistrationRetryAfterAsync("10.0.0.1"));
        await activity.RecordAsync(SignInActivityKinds.Registered, "b@example.com", "10.0.0.1");

        Assert.Equal(TimeSpan.FromHours(1), await Node().RegistrationRetryAfterAsync("10.0.0.1"));
        Assert.Null(await throttle.RegistrationRetryAfterAsync("10.0.0.2"));
    }
}
