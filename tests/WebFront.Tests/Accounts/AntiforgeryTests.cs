using System.Net;

namespace Courier.WebFront.Tests.Accounts;

public sealed class AntiforgeryTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static string NewEmail() => $"xsrf-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Get_hands_out_a_readable_XSRF_TOKEN_cookie()
    {
        using var browser = new ApiSession(factory);

        using var response = await browser.GetAsync("/health/live");

        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal));
        Assert.DoesNotContain("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(browser.XsrfToken));
    }

    [Fact]
    public async Task Signed_in_post_without_the_header_is_a_400_problem_and_with_it_succeeds()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(NewEmail())).Dispose();

        using var forged = await browser.PostAsync("/api/auth/logout", echoXsrf: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var problem = await Problem.ReadAsync(forged);
        Assert.StartsWith("Missing or invalid anti-forgery token", problem.Detail, StringComparison.Ordinal);
        using (var stillSignedIn = await browser.GetAsync("/api/me"))
            Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);

        using var genuine = await browser.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.NoContent, genuine.StatusCode);
        using var signedOut = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
    }

    [Fact]
    public async Task Signed_in_post_with_a_wrong_token_is_refused()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(NewEmail())).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/logout", UriKind.Relative));
        request.Headers.Add("X-XSRF-TOKEN", "CfDJ8-not-a-real-token");

        using var response = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Token_issued_before_sign_in_is_replaced_by_one_for_the_signed_in_user()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        var anonymousToken = browser.XsrfToken;

        (await browser.RegisterAsync(NewEmail())).Dispose();

        Assert.NotEqual(anonymousToken, browser.XsrfToken);
        using var genuine = await browser.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.NoContent, genuine.StatusCode);
    }

    [Fact]
    public async Task Login_from_a_browser_that_has_the_cookies_needs_the_token_too()
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var response = await browser.PostAsync("/api/auth/register", new { email = NewEmail(), password = "correct horse battery", displayName = "Eve" }, echoXsrf: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:courier:problem:antiforgery", (await Problem.ReadAsync(response)).Type);
    }

    [Fact]
    public async Task Client_without_any_cookie_needs_no_token()
    {
        using var client = factory.CreateDefaultClient();

        using var response = await client.PostAsync(new Uri("/api/auth/login", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { email = NewEmail(), password = "whatever-it-is" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhooks_are_exempt_even_with_cookies()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(NewEmail())).Dispose();

        using var response = await browser.PostAsync("/webhooks/stripe", new { id = "evt_1" }, echoXsrf: false);

        // Refused for its missing Stripe-Signature, not for the missing anti-forgery token.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("webhook-rejected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
