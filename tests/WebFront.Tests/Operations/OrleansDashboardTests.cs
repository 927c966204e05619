using System.Net;
using System.Text.Json;
using Courier.Abstractions.Accounts;
using Courier.TestSupport;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Operations;

public sealed class OrleansDashboardTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private async Task<ApiSession> AdminAsync()
    {
        var email = $"operator-{Guid.NewGuid():N}@example.com";
        await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(email, "Operator", "operator passphrase 42", [Roles.Admin], "system:test");
        var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(email, "operator passphrase 42")).Dispose();
        return admin;
    }

    [Fact]
    public async Task Admin_sees_the_orleans_dashboard_with_this_node_as_the_one_active_silo()
    {
        using var admin = await AdminAsync();

        using var page = await admin.GetAsync("/admin/orleans/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("index.min.js", html, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            using var counters = await admin.GetAsync("/admin/orleans/DashboardCounters");
            if (counters.StatusCode != HttpStatusCode.OK) return false;
            using var json = JsonDocument.Parse(await counters.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("totalActiveHostCount").GetInt32() == 1;
        }, because: "the embedded node is a cluster of one");
    }

    [Theory]
    [InlineData("/admin/orleans/")]
    [InlineData("/admin/orleans/DashboardCounters")]
    [InlineData("/admin/orleans/version")]
    public async Task A_customer_is_refused_the_orleans_dashboard(string path)
    {
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync($"curious-{Guid.NewGuid():N}@example.com")).Dispose();

        using var response = await customer.GetAsync(path);

        // Like every admin page: the signed-in customer is sent to sign in as someone allowed.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/orleans/")]
    [InlineData("/admin/orleans/DashboardCounters")]
    public async Task An_anonymous_caller_is_sent_to_sign_in_instead_of_the_orleans_dashboard(string path)
    {
        using var anonymous = new ApiSession(factory);

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
