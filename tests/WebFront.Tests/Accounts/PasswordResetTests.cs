using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Silo.Adapters.Mail;
using Courier.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>A forgotten password is fixed by e-mail, without support: one link, single use, and every old session ends.</summary>
public sealed partial class PasswordResetTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private const string Password = "correct horse battery";
    private const string NewPassword = "a fresh passphrase here";

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    private async Task<IReadOnlyList<MailboxEntry>> MailAsync(string to, string kind, int atLeast = 1)
    {
        IReadOnlyList<MailboxEntry> mail = [];
        await Eventually.TrueAsync(async () =>
        {
            mail = [.. (await factory.Services.GetRequiredService<DatabaseMailbox>().ListAsync(to, 100, CancellationToken.None))
                .Where(m => m.Kind == kind).OrderBy(m => m.SentAt)];
            return mail.Count >= atLeast;
        }, TimeSpan.FromSeconds(20), $"{atLeast} {kind} e-mail(s) to {to}");
        return mail;
    }

    private static string TokenIn(MailboxEntry mail) =>
        Uri.UnescapeDataString(ResetLink().Match(mail.TextBody) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException(mail.TextBody));

    [GeneratedRegex(@"/reset-password\?token=(\S+)")]
    private static partial Regex ResetLink();

    private static async Task<HttpResponseMessage> RequestResetAsync(ApiSession browser, string email) =>
        await browser.PostAsync("/api/auth/password-reset", new { email });

    private static async Task<HttpResponseMessage> ConfirmAsync(ApiSession browser, string token, string password = NewPassword) =>
        await browser.PostAsync("/api/auth/password-reset/confirm", new { token, password });

    [Fact]
    public async Task A_known_and_an_unknown_address_get_the_same_answer_and_only_the_account_gets_mail()
    {
        var known = NewEmail();
        using (var owner = await new ApiSession(factory).OpenAsync()) (await owner.RegisterAsync(known, Password)).EnsureSuccessStatusCode();
        var unknown = NewEmail();
        using var visitor = await new ApiSession(factory).OpenAsync();

        using var forKnown = await RequestResetAsync(visitor, known);
        using var forUnknown = await RequestResetAsync(visitor, unknown);

        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal((await forKnown.Content.ReadAsStringAsync()).Replace(known, "@", StringComparison.Ordinal),
            (await forUnknown.Content.ReadAsStringAsync()).Replace(unknown, "@", StringComparison.Ordinal));
        var mail = Assert.Single(await MailAsync(known, "password-reset"));
        Assert.Contains("works once", mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(await factory.Services.GetRequiredService<DatabaseMailbox>().ListAsync(unknown, 10, CancellationToken.None));
    }

    [Fact]
    public async Task The_link_sets_a_new_password_ends_every_old_session_signs_in_and_works_only_once()
    {
        var email = NewEmail();
        using var laptop = await new ApiSession(factory).OpenAsync();
        (await laptop.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        using var phone = await new ApiSession(factory).OpenAsync();
        (await phone.LoginAsync(email, Password)).EnsureSuccessStatusCode();
        using var forgetful = await new ApiSession(factory).OpenAsync();
        (await RequestResetAsync(forgetful, email)).EnsureSuccessStatusCode();
        var token = TokenIn((await MailAsync(email, "password-reset")).Single());

        using var confirmed = await ConfirmAsync(forgetful, token);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(email, (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        using (var me = await forgetful.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using (var me = await laptop.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using (var me = await phone.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using (var old = await new ApiSession(factory).OpenAsync())
        using (var refused = await old.LoginAsync(email, Password))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Single(await MailAsync(email, "password-changed"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log a JOIN accounts c ON a.target = 'account:' || c.id WHERE a.action = 'account.password-reset' AND c.email = $1", email));

        using var reused = await ConfirmAsync(forgetful, token, "yet another passphrase");
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        var problem = await Problem.ReadAsync(reused);
        Assert.Equal("urn:courier:problem:invalid-reset-link", problem.Type);
        Assert.Contains("already used", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_newer_link_replaces_the_older_one()
    {
        var email = NewEmail();
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        (await RequestResetAsync(browser, email)).EnsureSuccessStatusCode();
        (await RequestResetAsync(browser, email)).EnsureSuccessStatusCode();
        var mails = await MailAsync(email, "password-reset", atLeast: 2);
        var (older, newer) = (TokenIn(mails[0]), TokenIn(mails[1]));
        Assert.NotEqual(older, newer);

        using var withOlder = await ConfirmAsync(browser, older);
        using var withNewer = await ConfirmAsync(browser, newer);

        Assert.Equal(HttpStatusCode.BadRequest, withOlder.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withNewer.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("cmVzZXQtdjEKYWNjXzEKYWJj.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("")]
    public async Task A_forged_or_mangled_token_is_a_400_that_says_what_to_do(string token)
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var response = await ConfirmAsync(browser, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Detail!.Contains("link", StringComparison.Ordinal), problem.Raw);
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_naming_the_field_and_the_link_still_works()
    {
        var email = NewEmail();
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        (await RequestResetAsync(browser, email)).EnsureSuccessStatusCode();
        var token = TokenIn((await MailAsync(email, "password-reset")).Single());

        using var weak = await ConfirmAsync(browser, token, "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("password", (await Problem.ReadAsync(weak)).ErrorFields);

        using var strong = await ConfirmAsync(browser, token);
        Assert.Equal(HttpStatusCode.OK, strong.StatusCode);
    }

    [Fact]
    public async Task At_most_three_reset_emails_go_to_one_address_an_hour_though_the_answer_stays_the_same()
    {
        var email = NewEmail();
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(email, Password)).EnsureSuccessStatusCode();

        for (var i = 0; i < 5; i++)
        {
            using var response = await RequestResetAsync(browser, email);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await MailAsync(email, "password-reset", atLeast: 3);
        await Task.Delay(TimeSpan.FromSeconds(1)); // an outbox message would be dispatched by now
        Assert.Equal(3, (await MailAsync(email, "password-reset")).Count);
    }

    [Fact]
    public async Task A_malformed_address_is_a_400_naming_the_email_field()
    {
        using var browser = await new ApiSession(factory).OpenAsync();

        using var response = await RequestResetAsync(browser, "not an address");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("email", (await Problem.ReadAsync(response)).ErrorFields);
    }
}

/// <summary>Its own host with a small per-address limit: every in-memory test client shares one address.</summary>
public sealed class PasswordResetAddressLimitTests(PasswordResetAddressLimitTests.Factory factory) : IClassFixture<PasswordResetAddressLimitTests.Factory>
{
    public sealed class Factory : CourierWebFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Courier:SignInThrottle:MaxResetRequestsPerAddress"] = "2",
            ["Courier:SignInThrottle:MaxRegistrationsPerAddress"] = "2",
        };
    }

    [Fact]
    public async Task Requests_from_one_address_beyond_the_limit_are_a_429_with_Retry_After()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        for (var i = 0; i < 2; i++)
            (await browser.PostAsync("/api/auth/password-reset", new { email = $"someone{i}@example.com" })).EnsureSuccessStatusCode();

        using var third = await browser.PostAsync("/api/auth/password-reset", new { email = "someone3@example.com" });

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        Assert.Equal("urn:courier:problem:too-many-requests", (await Problem.ReadAsync(third)).Type);
    }

    [Fact]
    public async Task Registrations_from_one_address_beyond_the_limit_are_a_429_and_create_nothing()
    {
        using var browser = await new ApiSession(factory).OpenAsync();
        for (var i = 0; i < 2; i++)
            (await browser.RegisterAsync($"new{i}-{Guid.NewGuid():N}@example.com")).EnsureSuccessStatusCode();
        var refusedEmail = $"third-{Guid.NewGuid():N}@example.com";

        using var third = await browser.RegisterAsync(refusedEmail);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("registrations", (await Problem.ReadAsync(third)).Title, StringComparison.Ordinal);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE email = $1", refusedEmail));
    }
}
