using System.Net;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>The host as <c>./courier run</c> starts it on the embedded database.</summary>
public sealed class EmbeddedCourierWebFactory : CourierWebFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } =
        new Dictionary<string, string> { [DemoAccounts.EmbeddedSetting] = "true" };
}

public sealed class DemoAccountsTests(EmbeddedCourierWebFactory factory) : IClassFixture<EmbeddedCourierWebFactory>
{
    [Fact]
    public async Task Embedded_start_seeds_a_demo_admin_and_customer_who_can_sign_in_and_seeding_again_changes_nothing()
    {
        using (factory.CreateClient()) { } // starts the host
        var seeder = factory.Services.GetServices<IHostedService>().OfType<DemoAccounts>().Single();

        await seeder.SeedAsync();

        Assert.Equal(2, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM accounts WHERE email IN ('admin@courier.test', 'customer@courier.test')"));
        Assert.Equal(2, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM audit_log WHERE actor_id = 'system:demo-seed'"));
        var admin = DemoAccounts.Logins.Single(l => l.Email == "admin@courier.test");
        using var browser = await new ApiSession(factory).OpenAsync();
        using var login = await browser.LoginAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var adminOnly = await browser.GetAsync("/api/admin/accounts");
        Assert.Equal(HttpStatusCode.OK, adminOnly.StatusCode);
    }
}

public sealed class NoDemoAccountsTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Start_without_the_embedded_setting_creates_no_account()
    {
        using (factory.CreateClient()) { }

        Assert.Equal(0, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM accounts"));
    }
}
