using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Abstractions.Audit;
using Courier.WebFront.Tests.Commerce;

namespace Courier.WebFront.Tests.Account;

public sealed class ProfileApiTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static string NewEmail() => $"profile-{Guid.NewGuid():N}@example.com";

    private async Task<ApiSession> SignedInAsync(string? email = null)
    {
        var browser = await new ApiSession(factory).OpenAsync();
        using var registered = await browser.RegisterAsync(email ?? NewEmail(), displayName: "Ada Lovelace");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return browser;
    }

    [Fact]
    public async Task Preferences_start_with_order_and_delivery_emails_on_and_a_saved_choice_reads_back()
    {
        using var browser = await SignedInAsync();

        var initial = await (await browser.GetAsync("/api/me/preferences")).JsonAsync();
        var saved = await (await browser.SendJsonAsync(HttpMethod.Put, "/api/me/preferences",
            new { orderEmails = true, deliveryEmails = false, marketingEmails = true })).JsonAsync();
        var reread = await (await browser.GetAsync("/api/me/preferences")).JsonAsync();

        Assert.Equal((true, true, false), Switches(initial));
        Assert.Equal((true, false, true), Switches(saved));
        Assert.Equal((true, false, true), Switches(reread));
    }

    [Fact]
    public async Task Preferences_with_a_missing_switch_are_a_validation_problem_naming_it_and_change_nothing()
    {
        using var browser = await SignedInAsync();

        using var response = await browser.SendJsonAsync(HttpMethod.Put, "/api/me/preferences", new { orderEmails = false, deliveryEmails = false });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(["marketingEmails"], problem.ErrorFields);
        Assert.Contains("news and offers", problem.Detail, StringComparison.Ordinal);
        Assert.Equal((true, true, false), Switches(await (await browser.GetAsync("/api/me/preferences")).JsonAsync()));
    }

    [Fact]
    public async Task Preferences_that_are_not_json_booleans_are_a_problem_that_says_what_to_send()
    {
        using var browser = await SignedInAsync();

        using var response = await browser.SendJsonAsync(HttpMethod.Put, "/api/me/preferences", new { orderEmails = "yes please", deliveryEmails = true, marketingEmails = false });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("documented schema", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_rename_is_trimmed_shown_by_me_and_audited_as_the_customers_own_change()
    {
        using var browser = await SignedInAsync();

        var renamed = await (await browser.SendJsonAsync(HttpMethod.Put, "/api/me/profile", new { displayName = "  Ada King " })).JsonAsync();
        var me = await (await browser.GetAsync("/api/me")).JsonAsync();

        Assert.Equal("Ada King", renamed.GetProperty("displayName").GetString());
        Assert.Equal("Ada King", me.GetProperty("displayName").GetString());
        var actor = me.GetProperty("id").GetString();
        Assert.Equal(1, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2 AND target = $3", actor!, AuditActions.AccountRenamed, $"account:{actor}"));
    }

    [Theory]
    [InlineData("   ", "Enter the name")]
    [InlineData(null, "Enter the name")]
    public async Task Profile_without_a_name_is_a_validation_problem_naming_display_name(string? displayName, string explanation)
    {
        using var browser = await SignedInAsync();

        using var response = await browser.SendJsonAsync(HttpMethod.Put, "/api/me/profile", new { displayName });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(["displayName"], problem.ErrorFields);
        Assert.Contains(explanation, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_name_longer_than_100_characters_is_refused()
    {
        using var browser = await SignedInAsync();

        using var response = await browser.SendJsonAsync(HttpMethod.Put, "/api/me/profile", new { displayName = new string('a', 101) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 100 characters", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/me/preferences")]
    [InlineData("PUT", "/api/me/preferences")]
    [InlineData("PUT", "/api/me/profile")]
    public async Task Anonymous_callers_get_a_401_problem(string method, string path)
    {
        using var anonymous = new ApiSession(factory);

        using var response = await anonymous.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "GET" ? null : JsonContent.Create(new { displayName = "X", orderEmails = true, deliveryEmails = true, marketingEmails = true }),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Not signed in", (await Problem.ReadAsync(response)).Title);
    }

    [Fact]
    public async Task Changes_without_the_anti_forgery_header_are_refused()
    {
        using var browser = await SignedInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/me/preferences", UriKind.Relative))
        {
            Content = JsonContent.Create(new { orderEmails = false, deliveryEmails = false, marketingEmails = true }),
        };

        using var response = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:courier:problem:antiforgery", (await Problem.ReadAsync(response)).Type);
        Assert.Equal((true, true, false), Switches(await (await browser.GetAsync("/api/me/preferences")).JsonAsync()));
    }

    private static (bool Order, bool Delivery, bool Marketing) Switches(JsonElement preferences) =>
        (preferences.GetProperty("orderEmails").GetBoolean(), preferences.GetProperty("deliveryEmails").GetBoolean(), preferences.GetProperty("marketingEmails").GetBoolean());
}
