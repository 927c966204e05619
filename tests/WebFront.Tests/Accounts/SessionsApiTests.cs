using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Silo.Adapters.Mail;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>Sessions end on the server: sign-out, signing out other devices and a password change hold for copies of the cookie too.</summary>
public sealed class SessionsApiTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private const string Password = "correct horse battery";
    private const string MacChrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string WindowsFirefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    private async Task<ApiSession> BrowserAsync(string userAgent)
    {
        var browser = new ApiSession(factory);
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return await browser.OpenAsync();
    }

    private async Task<ApiSession> RegisteredAsync(string email, string userAgent = MacChrome)
    {
        var browser = await BrowserAsync(userAgent);
        (await browser.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        return browser;
    }

    private async Task<ApiSession> SignedInAsync(string email, string userAgent = WindowsFirefox, string password = Password)
    {
        var browser = await BrowserAsync(userAgent);
        (await browser.LoginAsync(email, password)).EnsureSuccessStatusCode();
        return browser;
    }

    private static async Task<HttpStatusCode> MeAsync(ApiSession browser)
    {
        using var me = await browser.GetAsync("/api/me");
        return me.StatusCode;
    }

    private static async Task<JsonElement[]> SessionsAsync(ApiSession browser)
    {
        using var response = await browser.GetAsync("/api/me/sessions");
        response.EnsureSuccessStatusCode();
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()];
    }

    private async Task<IReadOnlyList<MailboxEntry>> MailAsync(string to, string kind) =>
        [.. (await factory.Services.GetRequiredService<DatabaseMailbox>().ListAsync(to, 100, CancellationToken.None)).Where(m => m.Kind == kind)];

    private Task<long> AuditCountAsync(string action, string email) => factory.Database.ScalarAsync<long>(
        "SELECT count(*) FROM audit_log a JOIN accounts c ON a.target = 'account:' || c.id WHERE a.action = $1 AND c.email = $2", action, email);

    [Fact]
    public async Task A_session_cookie_copied_before_sign_out_no_longer_works_afterwards()
    {
        using var browser = await RegisteredAsync(NewEmail());
        var copied = browser.Cookie("Courier.Session")!;

        (await browser.PostAsync("/api/auth/logout")).EnsureSuccessStatusCode();

        using var thief = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", $"Courier.Session={copied}");
        using var response = await thief.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Sessions_list_names_each_device_its_address_and_which_one_is_this()
    {
        var email = NewEmail();
        using var mac = await RegisteredAsync(email, MacChrome);
        using var windows = await SignedInAsync(email, WindowsFirefox);

        var sessions = await SessionsAsync(mac);

        Assert.Equal(2, sessions.Length);
        Assert.True(sessions[0].GetProperty("current").GetBoolean());
        Assert.Equal("Chrome on macOS", sessions[0].GetProperty("device").GetString());
        Assert.False(sessions[1].GetProperty("current").GetBoolean());
        Assert.Equal("Firefox on Windows", sessions[1].GetProperty("device").GetString());
        Assert.All(sessions, s => Assert.StartsWith("ses_", s.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.All(sessions, s => Assert.True(s.GetProperty("lastSeenAt").GetDateTimeOffset() >= s.GetProperty("startedAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Signing_out_another_device_ends_it_at_once_and_is_audited()
    {
        var email = NewEmail();
        using var mine = await RegisteredAsync(email);
        using var lost = await SignedInAsync(email);
        var lostId = (await SessionsAsync(mine)).Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();

        using var revoked = await mine.Client.SendAsync(WithXsrf(mine, HttpMethod.Delete, $"/api/me/sessions/{lostId}"));

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(lost));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(mine));
        Assert.Single(await SessionsAsync(mine));
        Assert.Equal(1, await AuditCountAsync("account.session-revoked", email));
        using var again = await mine.Client.SendAsync(WithXsrf(mine, HttpMethod.Delete, $"/api/me/sessions/{lostId}"));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("already signed out", (await Problem.ReadAsync(again)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_everywhere_else_keeps_only_this_session()
    {
        var email = NewEmail();
        using var mine = await RegisteredAsync(email);
        using var second = await SignedInAsync(email);
        using var third = await SignedInAsync(email, MacChrome);

        using var response = await mine.PostAsync("/api/me/sessions/revoke-others");

        response.EnsureSuccessStatusCode();
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signedOut").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(third));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(mine));
        Assert.Equal(1, await AuditCountAsync("account.other-sessions-revoked", email));
    }

    [Fact]
    public async Task Another_accounts_session_cannot_be_signed_out()
    {
        using var victim = await RegisteredAsync(NewEmail());
        var victimSession = (await SessionsAsync(victim)).Single().GetProperty("id").GetString();
        using var attacker = await RegisteredAsync(NewEmail());

        using var response = await attacker.Client.SendAsync(WithXsrf(attacker, HttpMethod.Delete, $"/api/me/sessions/{victimSession}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(victim));
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_signs_out_other_devices_and_emails_the_owner()
    {
        var email = NewEmail();
        using var mine = await RegisteredAsync(email);
        using var other = await SignedInAsync(email);

        using var wrong = await mine.Client.SendAsync(WithXsrf(mine, HttpMethod.Put, "/api/me/password",
            new { currentPassword = "not my password", newPassword = "a brand new passphrase" }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("currentPassword", (await Problem.ReadAsync(wrong)).ErrorFields);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other));

        using var changed = await mine.Client.SendAsync(WithXsrf(mine, HttpMethod.Put, "/api/me/password",
            new { currentPassword = Password, newPassword = "a brand new passphrase" }));

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(mine));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other));
        using var someone = await BrowserAsync(MacChrome);
        using var old = await someone.LoginAsync(email, Password);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        using var fresh = await SignedInAsync(email, MacChrome, "a brand new passphrase");
        await Eventually.TrueAsync(async () => (await MailAsync(email, "password-changed")).Count == 1, TimeSpan.FromSeconds(20), "the owner is told");
        Assert.Equal(1, await AuditCountAsync("account.password-changed", email));
    }

    [Fact]
    public async Task A_sign_in_from_a_new_device_emails_the_owner_but_the_same_browser_signing_in_again_does_not()
    {
        var email = NewEmail();
        using var mine = await RegisteredAsync(email, MacChrome);
        (await mine.PostAsync("/api/auth/logout")).EnsureSuccessStatusCode();
        (await mine.LoginAsync(email, Password)).EnsureSuccessStatusCode();

        using var stranger = await SignedInAsync(email, WindowsFirefox);

        await Eventually.TrueAsync(async () => (await MailAsync(email, "new-sign-in")).Count > 0, TimeSpan.FromSeconds(20), "the owner is told");
        var mail = Assert.Single(await MailAsync(email, "new-sign-in"));
        Assert.Contains("Firefox on Windows", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("/account/security", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, await AuditCountAsync("account.new-device-sign-in", email));
    }

    private static HttpRequestMessage WithXsrf(ApiSession browser, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-XSRF-TOKEN", browser.XsrfToken);
        return request;
    }
}
