using System.Net;
using Courier.TestSupport;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

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

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly SignInThrottle throttle;

    public SignInThrottleTests() =>
        throttle = new SignInThrottle(Options.Create(new SignInThrottleOptions { MaxFailures = 3, Window = TimeSpan.FromMinutes(15) }), clock);

    [Fact]
    public void Failures_up_to_the_limit_are_allowed_and_the_next_waits_until_the_oldest_ages_out()
    {
        throttle.RecordFailure("ada@example.com", "10.0.0.1");
        clock.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure("ada@example.com", "10.0.0.1");
        Assert.Null(throttle.RetryAfter("ada@example.com", "10.0.0.1"));
        throttle.RecordFailure("ada@example.com", "10.0.0.1");

        Assert.Equal(TimeSpan.FromMinutes(14), throttle.RetryAfter("ada@example.com", "10.0.0.1"));
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Null(throttle.RetryAfter("ada@example.com", "10.0.0.1"));
    }

    [Fact]
    public void Account_is_locked_from_every_address()
    {
        foreach (var address in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })
            throttle.RecordFailure("ada@example.com", address);

        Assert.NotNull(throttle.RetryAfter("ada@example.com", "192.168.1.9"));
        Assert.Null(throttle.RetryAfter("bob@example.com", "192.168.1.9"));
    }

    [Fact]
    public void Address_guessing_many_accounts_is_throttled_and_a_success_elsewhere_does_not_reset_it()
    {
        throttle.RecordFailure("a@example.com", "10.0.0.1");
        throttle.RecordFailure("b@example.com", "10.0.0.1");
        throttle.RecordFailure("c@example.com", "10.0.0.1");

        throttle.RecordSuccess("mine@example.com");

        Assert.NotNull(throttle.RetryAfter("d@example.com", "10.0.0.1"));
        Assert.Null(throttle.RetryAfter("d@example.com", "10.0.0.2"));
    }

    [Fact]
    public void Success_clears_the_accounts_own_failures()
    {
        throttle.RecordFailure("ada@example.com", "10.0.0.1");
        throttle.RecordFailure("ada@example.com", "10.0.0.2");

        throttle.RecordSuccess("ada@example.com");
        throttle.RecordFailure("ada@example.com", "10.0.0.3");

        Assert.Null(throttle.RetryAfter("ada@example.com", "10.0.0.4"));
    }
}
