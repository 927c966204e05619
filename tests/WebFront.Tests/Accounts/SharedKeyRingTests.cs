using System.Net;
using Courier.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>Two nodes on one database share the Data Protection key ring, so a session made on one is valid on the other.</summary>
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await database.DisposeAsync();

    private WebApplicationFactory<Program> Node() => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Courier", database.ConnectionString);
        builder.UseSetting("Courier:Cluster:SiloPort", "0");
        builder.UseSetting("Courier:Cluster:GatewayPort", "0");
    });

    [Fact]
    public async Task A_session_cookie_issued_by_one_node_is_accepted_by_another_and_keys_are_stored_in_the_database()
    {
        await using var first = Node();
        await using var second = Node();
        using var browser = await new ApiSession(first).OpenAsync();
        (await browser.RegisterAsync($"roaming-{Guid.NewGuid():N}@example.com")).Dispose();
        var session = browser.Cookie("Courier.Session");
        Assert.NotNull(session);

        using var other = second.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/me", UriKind.Relative));
        request.Headers.Add("Cookie", $"Courier.Session={session}");
        using var response = await other.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await database.ScalarAsync<int>("SELECT count(*) FROM data_protection_keys") >= 1);
    }
}
