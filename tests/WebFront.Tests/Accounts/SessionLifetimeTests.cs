using System.Net;
using Courier.Abstractions.Accounts;
using Courier.WebFront.Accounts;
using Courier.WebFront.Tests.Deliveries;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>Sessions end on the server when unused too long and, in any case, at their lifetime; staff sessions sooner (a clock the test moves).</summary>
public sealed class SessionLifetimeTests(DownloadWebFactory factory) : IClassFixture<DownloadWebFactory>
{
    private const string Password = "correct horse battery";

    private static async Task<HttpStatusCode> MeAsync(ApiSession browser)
    {
        using var me = await browser.GetAsync("/api/me");
        return me.StatusCode;
    }

    [Fact]
    public async Task A_customer_session_used_now_and_then_lasts_until_its_lifetime_and_an_idle_one_ends_sooner()
    {
        using var regular = await new ApiSession(factory).OpenAsync();
        (await regular.RegisterAsync($"regular-{Guid.NewGuid():N}@example.com", Password)).EnsureSuccessStatusCode();
        using var idle = await new ApiSession(factory).OpenAsync();
        (await idle.RegisterAsync($"idle-{Guid.NewGuid():N}@example.com", Password)).EnsureSuccessStatusCode();

        factory.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(regular));
        factory.Clock.Advance(TimeSpan.FromDays(5)); // the idle one: 15 days unused
        Assert.Equal(HttpStatusCode.OK, await MeAsync(regular));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(idle));
        factory.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(regular)); // 25 days old, used every few days
        factory.Clock.Advance(TimeSpan.FromDays(6));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(regular)); // 31 days: past its lifetime
    }

    [Fact]
    public async Task An_admin_session_ends_after_two_idle_hours()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(email, "Store admin", "admin passphrase 42", [Roles.Admin], "system:test");
        using var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(email, "admin passphrase 42")).EnsureSuccessStatusCode();

        factory.Clock.Advance(TimeSpan.FromMinutes(110));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(admin));
        factory.Clock.Advance(TimeSpan.FromMinutes(121));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(admin));
    }
}
