using System.Net;
using System.Text.Json;
using Courier.Abstractions.Accounts;
using Courier.WebFront.Accounts;
using Courier.WebFront.Tests.Commerce;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>A customer downloads everything Courier holds about them; an admin can on their request; each export is audited.</summary>
public sealed class PersonalDataExportTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task The_export_holds_the_account_its_sessions_orders_and_sign_ins_and_is_audited()
    {
        var email = $"mine-{Guid.NewGuid():N}@example.com";
        await factory.SeedProductAsync("prod_export", 1200);
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        using (var phone = await new ApiSession(factory).OpenAsync()) (await phone.LoginAsync(email, Password)).EnsureSuccessStatusCode();
        await customer.AddToCartAsync("prod_export");
        var (orderId, _) = await customer.CheckoutAsync(email);

        using var response = await customer.GetAsync("/api/me/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("attachment; filename=\"courier-data-", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(email, data.GetProperty("account").GetProperty("email").GetString());
        Assert.Equal(2, data.GetProperty("sessions").GetArrayLength());
        Assert.Equal(orderId, Assert.Single(data.GetProperty("orders").EnumerateArray()).GetProperty("order").GetProperty("id").GetString());
        Assert.Contains(data.GetProperty("signInActivity").EnumerateArray(), s => s.GetProperty("kind").GetString() == "sign-in");
        Assert.True(data.GetProperty("notificationPreferences").GetProperty("orderEmails").GetBoolean());
        var accountId = data.GetProperty("account").GetProperty("id").GetString();
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'account.data-exported' AND target = $1 AND actor_id = $2", $"account:{accountId}", accountId!));
    }

    [Fact]
    public async Task Anonymous_visitors_get_a_401_and_customers_cannot_use_the_admin_export()
    {
        using var anonymous = await new ApiSession(factory).OpenAsync();
        using (var response = await anonymous.GetAsync("/api/me/export")) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync($"c-{Guid.NewGuid():N}@example.com", Password)).EnsureSuccessStatusCode();

        using var forbidden = await customer.GetAsync("/api/admin/accounts/anyone/export");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task An_admin_exports_an_account_on_request_and_the_export_names_the_admin()
    {
        var email = $"asked-{Guid.NewGuid():N}@example.com";
        using (var customer = await new ApiSession(factory).OpenAsync()) (await customer.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        var adminEmail = $"admin-{Guid.NewGuid():N}@example.com";
        await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(adminEmail, "Store admin", "admin passphrase 42", [Roles.Admin], "system:test");
        using var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(adminEmail, "admin passphrase 42")).EnsureSuccessStatusCode();
        var accountId = await factory.Database.ScalarAsync<string>("SELECT id FROM accounts WHERE email = $1", email);
        var adminId = await factory.Database.ScalarAsync<string>("SELECT id FROM accounts WHERE email = $1", adminEmail);

        using var response = await admin.GetAsync($"/api/admin/accounts/{accountId}/export");
        using var missing = await admin.GetAsync("/api/admin/accounts/no-such-account/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(email, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("account").GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'account.data-exported' AND target = $1 AND actor_id = $2", $"account:{accountId}", adminId!));
    }
}
