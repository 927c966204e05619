using System.Net;
using System.Text.Json;
using Courier.Abstractions.Accounts;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

public sealed class AdminAccountsApiTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Customer_is_refused_with_403_and_admin_gets_the_list()
    {
        var adminEmail = $"admin-{Guid.NewGuid():N}@example.com";
        var registrar = factory.Services.GetRequiredService<AccountRegistrar>();
        await registrar.RegisterAsync(adminEmail, "Boss", "admin passphrase 42", [Roles.Admin], "system:test");
        using var customer = await new ApiSession(factory).OpenAsync();
        var customerEmail = $"customer-{Guid.NewGuid():N}@example.com";
        (await customer.RegisterAsync(customerEmail)).Dispose();

        using var refused = await customer.GetAsync("/api/admin/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("urn:courier:problem:forbidden", (await Problem.ReadAsync(refused)).Type);

        using var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(adminEmail, "admin passphrase 42")).Dispose();
        using var listed = await admin.GetAsync($"/api/admin/accounts?query={Uri.EscapeDataString(customerEmail[..20])}");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var item = Assert.Single(JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(customerEmail, item.GetProperty("email").GetString());
        Assert.Equal("customer", item.GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task Anonymous_caller_gets_401_on_the_admin_endpoint()
    {
        using var anonymous = new ApiSession(factory);

        using var response = await anonymous.GetAsync("/api/admin/accounts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
