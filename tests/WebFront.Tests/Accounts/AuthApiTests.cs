using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Courier.WebFront.Tests.Accounts;

public sealed class AuthApiTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Register_signs_in_me_shows_the_account_and_logout_ends_the_session()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        var email = NewEmail();

        using var registered = await browser.RegisterAsync(email, displayName: "Ada Lovelace");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Equal("Ada Lovelace", body.GetProperty("displayName").GetString());
        Assert.Equal(["customer"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));

        using var logout = await browser.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var after = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Not signed in", (await Problem.ReadAsync(after)).Title);
    }

    [Fact]
    public async Task Session_cookie_is_http_only_same_site_lax_and_not_secure_over_plain_http()
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var registered = await browser.RegisterAsync(NewEmail());

        var setCookie = Assert.Single(registered.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Courier.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_same_email_in_other_case_is_a_409_problem()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        var email = NewEmail();
        using var first = await browser.RegisterAsync(email);
        using var other = await new ApiSession(factory).OpenAsync();

        using var second = await other.RegisterAsync("  " + email.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await Problem.ReadAsync(second);
        Assert.Equal("urn:courier:problem:email-taken", problem.Type);
        Assert.Contains("already exists", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short1234", "at least 10 characters")]
    [InlineData("qwertyuiop", "commonly used")]
    [InlineData("Password1234", "commonly used")]
    public async Task Register_with_a_weak_password_is_a_validation_problem_naming_the_password(string password, string explanation)
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var response = await browser.RegisterAsync(NewEmail(), password);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(["password"], problem.ErrorFields);
        Assert.Contains(explanation, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(explanation, problem.Body.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_with_a_password_over_128_characters_is_refused()
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var response = await browser.RegisterAsync(NewEmail(), new string('x', 60) + new string('y', 69));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(["password"], problem.ErrorFields);
        Assert.Contains("at most 128", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_with_bad_email_and_no_name_names_both_fields()
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var response = await browser.PostAsync("/api/auth/register", new { email = "not-an-address", password = "correct horse battery", displayName = " " });

        var problem = await Problem.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal(["displayName", "email"], problem.ErrorFields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Login_with_the_right_password_signs_in_whatever_the_email_case()
    {
        var email = NewEmail();
        using (var registering = await new ApiSession(factory).OpenAsync())
            (await registering.RegisterAsync(email, "correct horse battery")).Dispose();
        using var browser = await new ApiSession(factory).OpenAsync();

        using var login = await browser.LoginAsync(email.ToUpperInvariant(), "correct horse battery");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(email, (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Login_wrong_password_and_unknown_email_get_the_identical_401()
    {
        var email = NewEmail();
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(email, "correct horse battery")).Dispose();
        (await browser.PostAsync("/api/auth/logout")).Dispose();

        using var wrongPassword = await browser.LoginAsync(email, "incorrect horse battery");
        using var unknownEmail = await browser.LoginAsync(NewEmail(), "correct horse battery");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        var a = await Problem.ReadAsync(wrongPassword);
        var b = await Problem.ReadAsync(unknownEmail);
        Assert.Equal("E-mail or password is incorrect.", a.Detail);
        Assert.Equal((a.Type, a.Title, a.Detail, a.Status), (b.Type, b.Title, b.Detail, b.Status));
        Assert.Equal(
            a.Body.EnumerateObject().Select(p => p.Name).Where(n => n != "traceId"),
            b.Body.EnumerateObject().Select(p => p.Name).Where(n => n != "traceId"));
    }

    [Fact]
    public async Task Me_without_a_session_is_a_401_problem_not_a_redirect()
    {
        using var browser = new ApiSession(factory);

        using var response = await browser.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("urn:courier:problem:not-signed-in", (await Problem.ReadAsync(response)).Type);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_identity_endpoints()
    {
        using var client = factory.CreateClient();

        var paths = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/auth/register", "/api/auth/login", "/api/auth/logout", "/api/me", "/api/admin/accounts" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
    }
}
