using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Abstractions.Deliveries;
using Courier.TestSupport;
using Courier.WebFront.Accounts;
using Courier.WebFront.Tests.Commerce;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.SiteAccess;

/// <summary>Hosted-site deliveries end to end: buy, see the credentials, sign in to the built-in site, rotate, revoke.</summary>
public sealed class SiteAccessFlowTests(SiteAccessWebFactory factory) : IClassFixture<SiteAccessWebFactory>
{
    [Fact]
    public async Task Paid_hosted_site_becomes_ready_and_its_credentials_sign_in_to_the_site_it_serves()
    {
        var (customer, deliveryId, email) = await factory.BuyHostedSiteAsync();
        using var _ = customer;

        var credentials = await customer.CredentialsAsync(deliveryId);
        using var browser = new SiteBrowser(factory.Address);
        using var unsigned = await browser.GetAsync(credentials.LoginUrl);
        using var signIn = await browser.SignInAsync(credentials.LoginUrl, credentials.Username, credentials.Password);
        using var page = await browser.GetAsync(credentials.LoginUrl);
        using var styles = await browser.GetAsync(credentials.LoginUrl + "styles.css");

        Assert.Equal(email, credentials.Username);
        Assert.Equal(20, credentials.Password.Length);
        Assert.Matches($"^{Regex.Escape(factory.Address.ToString())}sites/aurora-[a-z0-9]{{10}}/$", credentials.LoginUrl);
        Assert.Equal(HttpStatusCode.Redirect, unsigned.StatusCode);
        Assert.EndsWith("/sign-in", unsigned.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Aurora", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, styles.StatusCode);
        Assert.Equal("text/css", styles.Content.Headers.ContentType?.MediaType);
        var cookie = browser.Cookies.GetAllCookies().Single(c => c.Name == "Courier.Site");
        Assert.Equal(new Uri(credentials.LoginUrl).AbsolutePath.TrimEnd('/'), cookie.Path);
        Assert.True(cookie.HttpOnly);

        var order = await customer.OrderAsync(deliveryId.Split(':')[0]);
        var kinds = order.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("SiteAccountCreated", kinds);
        Assert.True(kinds.IndexOf("SiteAccountCreated") > kinds.FindIndex(k => k == "DeliveryStepped"), "the account appears after the delivery started");
    }

    [Fact]
    public async Task Rotation_stops_the_old_password_and_its_session_at_once_and_the_new_one_signs_in()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var before = await customer.CredentialsAsync(deliveryId);
        using var signedIn = new SiteBrowser(factory.Address);
        (await signedIn.SignInAsync(before.LoginUrl, before.Username, before.Password)).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync(before.LoginUrl)).StatusCode);

        using var rotate = await customer.SendJsonAsync(HttpMethod.Post, $"/api/deliveries/{deliveryId}/credentials/rotate");
        var after = SiteLogin.Read(await rotate.JsonAsync());

        Assert.NotEqual(before.Password, after.Password);
        Assert.Equal(before.Username, after.Username);
        Assert.Equal(before.LoginUrl, after.LoginUrl);
        Assert.Equal("no-store", rotate.Headers.CacheControl?.ToString());
        using var oldSession = await signedIn.GetAsync(before.LoginUrl);
        Assert.Equal(HttpStatusCode.Redirect, oldSession.StatusCode);
        using var fresh = new SiteBrowser(factory.Address);
        using var oldPassword = await fresh.SignInAsync(before.LoginUrl, before.Username, before.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Contains("do not match", await oldPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var newPassword = await fresh.SignInAsync(after.LoginUrl, after.Username, after.Password);
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync(after.LoginUrl)).StatusCode);
        Assert.Equal(after.Password, (await customer.CredentialsAsync(deliveryId)).Password);

        var timeline = (await customer.OrderAsync(deliveryId.Split(':')[0])).GetProperty("timeline").EnumerateArray().ToList();
        var rotated = Assert.Single(timeline, e => e.GetProperty("kind").GetString() == "SiteCredentialsRotated");
        Assert.Equal(deliveryId, rotated.GetProperty("deliveryId").GetString());
        Assert.Contains("you set a new password", rotated.GetProperty("data").GetProperty("cause").GetString(), StringComparison.Ordinal);
        var accountId = (await (await customer.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal(1, await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'site-access.credentials-rotated' AND actor_id = $1 AND target = $2", accountId, $"delivery:{deliveryId}"));
        Assert.Equal(2, await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'site-access.credentials-revealed' AND actor_id = $1 AND target = $2", accountId, $"delivery:{deliveryId}"));
    }

    [Fact]
    public async Task The_sixth_rotation_within_an_hour_is_refused_with_retry_after_and_a_friendly_reason()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        for (var i = 0; i < 5; i++)
            (await (await customer.SendJsonAsync(HttpMethod.Post, $"/api/deliveries/{deliveryId}/credentials/rotate")).JsonAsync()).GetProperty("password");
        var lastGood = await customer.CredentialsAsync(deliveryId);

        using var refused = await customer.SendJsonAsync(HttpMethod.Post, $"/api/deliveries/{deliveryId}/credentials/rotate");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await Problem.ReadAsync(refused);
        Assert.EndsWith("/rotation-limit", problem.Type, StringComparison.Ordinal);
        Assert.Contains("requested 5 times in the last hour", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("current password keeps working", problem.Detail, StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.Equal(lastGood.Password, (await customer.CredentialsAsync(deliveryId)).Password);
    }

    [Fact]
    public async Task Another_customer_gets_404_for_the_credentials_and_the_rotation_while_an_admin_may_see_them_audited()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var owners = await customer.CredentialsAsync(deliveryId);
        using var stranger = await new ApiSession(factory, factory.Address).OpenAsync();
        (await stranger.RegisterAsync($"stranger-{Guid.NewGuid():N}@example.com")).Dispose();
        using var anonymous = await new ApiSession(factory, factory.Address).OpenAsync();

        using var strangerReveal = await stranger.GetAsync($"/api/deliveries/{deliveryId}/credentials");
        using var strangerRotate = await stranger.SendJsonAsync(HttpMethod.Post, $"/api/deliveries/{deliveryId}/credentials/rotate");
        using var anonymousReveal = await anonymous.GetAsync($"/api/deliveries/{deliveryId}/credentials");

        Assert.Equal(HttpStatusCode.NotFound, strangerReveal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerRotate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, anonymousReveal.StatusCode);
        Assert.DoesNotContain(owners.Password, await strangerReveal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(owners.Password, (await customer.CredentialsAsync(deliveryId)).Password);

        using var admin = await new ApiSession(factory, factory.Address).OpenAsync();
        var demoAdmin = DemoAccounts.Logins.Single(l => l.Role == "admin");
        (await admin.LoginAsync(demoAdmin.Email, demoAdmin.Password)).EnsureSuccessStatusCode();
        var adminSees = await admin.CredentialsAsync(deliveryId);
        using var adminRotate = await admin.SendJsonAsync(HttpMethod.Post, $"/api/deliveries/{deliveryId}/credentials/rotate");
        await adminRotate.JsonAsync();

        Assert.Equal(owners.Password, adminSees.Password);
        var adminId = (await (await admin.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal(1, await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'site-access.credentials-revealed' AND actor_id = $1 AND target = $2", adminId, $"delivery:{deliveryId}"));
        var timeline = (await customer.OrderAsync(deliveryId.Split(':')[0])).GetProperty("timeline").EnumerateArray();
        Assert.Contains(timeline, e => e.GetProperty("kind").GetString() == "SiteCredentialsRotated"
            && e.GetProperty("data").GetProperty("cause").GetString()!.Contains("by our staff", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_are_in_no_table_and_no_log_line_in_plain_text()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var first = await customer.CredentialsAsync(deliveryId);
        var second = SiteLogin.Read(await (await customer.SendJsonAsync(HttpMethod.Post, $"/api/deliveries/{deliveryId}/credentials/rotate")).JsonAsync());
        using var browser = new SiteBrowser(factory.Address);
        (await browser.SignInAsync(second.LoginUrl, second.Username, second.Password)).Dispose();
        (await browser.SignInAsync(second.LoginUrl, second.Username, first.Password)).Dispose();

        var tables = await TablesAsync();
        Assert.Contains("grain_state", tables);
        Assert.Contains("hosted_sites", tables);
        foreach (var table in tables)
            foreach (var password in new[] { first.Password, second.Password })
                Assert.Equal(0, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, $1) > 0", password));
        var sealedNow = await factory.Database.ScalarAsync<string>("SELECT sealed_credentials FROM hosted_sites WHERE delivery_id = $1", deliveryId);
        Assert.StartsWith("CfDJ8", sealedNow, StringComparison.Ordinal); // a Data Protection payload
        Assert.Equal(2, await factory.Database.ScalarAsync<int>("SELECT credentials_version FROM hosted_sites WHERE delivery_id = $1", deliveryId));
        var log = factory.LogText();
        Assert.Contains("[DBG]", log, StringComparison.Ordinal); // the log is written, down to debug messages
        Assert.DoesNotContain(first.Password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Password, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_delivery_ends_site_access_at_once_sessions_and_sign_in_included()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var credentials = await customer.CredentialsAsync(deliveryId);
        using var browser = new SiteBrowser(factory.Address);
        (await browser.SignInAsync(credentials.LoginUrl, credentials.Username, credentials.Password)).Dispose();

        await factory.Grains().GetGrain<IDeliveryGrain>(deliveryId).RevokeAsync("the order was refunded");

        await Eventually.TrueAsync(async () => (await browser.GetAsync(credentials.LoginUrl)).StatusCode == HttpStatusCode.Gone,
            TimeSpan.FromSeconds(20), "the revoke reaches the site");
        using var signIn = await new SiteBrowser(factory.Address).PostSignInFormAsync(credentials.LoginUrl, credentials.Username, credentials.Password);
        Assert.Equal(HttpStatusCode.Gone, signIn.StatusCode);
        Assert.Contains("no longer available", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var reveal = await customer.GetAsync($"/api/deliveries/{deliveryId}/credentials");
        Assert.Equal(HttpStatusCode.Gone, reveal.StatusCode);
        Assert.Contains("withdrawn", (await Problem.ReadAsync(reveal)).Detail, StringComparison.Ordinal);
        Assert.Null(await factory.Database.ScalarAsync<string>("SELECT sealed_credentials FROM hosted_sites WHERE delivery_id = $1", deliveryId));
    }

    [Fact]
    public async Task Site_requests_cannot_reach_files_outside_the_site()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var credentials = await customer.CredentialsAsync(deliveryId);
        using var browser = new SiteBrowser(factory.Address);
        using var signIn = await browser.SignInAsync(credentials.LoginUrl, credentials.Username, credentials.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode); // signed in: a 404 below is the path's doing, not a missing session
        var root = new Uri(credentials.LoginUrl).AbsolutePath;

        foreach (var path in new[] { "%2e%2e/%2e%2e/appsettings.json", "..%2F..%2Fappsettings.json", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", ".hidden", "nope.html", "a//b" })
        {
            using var response = await browser.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(factory.Address, root + path)));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode} {response.Headers.Location} for {response.RequestMessage!.RequestUri}");
            Assert.DoesNotContain("ConnectionStrings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var readme = await browser.GetAsync(credentials.LoginUrl + "README.md");
        Assert.Equal(HttpStatusCode.OK, readme.StatusCode);
    }

    [Fact]
    public async Task OpenApi_describes_the_credentials_endpoints_and_hides_the_site_pages()
    {
        using var client = factory.CreateClient();

        var paths = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement.GetProperty("paths");

        Assert.Contains("audited", paths.GetProperty("/api/deliveries/{id}/credentials").GetProperty("get").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("old password stops working at once",
            paths.GetProperty("/api/deliveries/{id}/credentials/rotate").GetProperty("post").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/sites", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_of_a_download_delivery_are_not_found()
    {
        using var customer = await new ApiSession(factory, factory.Address).OpenAsync();
        await customer.AddToCartAsync("prod_aurora");
        var (orderId, redirect) = await customer.CheckoutAsync($"download-{Guid.NewGuid():N}@example.com");
        (await customer.PayAsync(redirect, "4242 4242 4242 4242")).Dispose();
        await Eventually.TrueAsync(async () => (await customer.GetAsync($"/api/deliveries/{orderId}:1")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "the delivery starts");

        using var response = await customer.GetAsync($"/api/deliveries/{orderId}:1/credentials");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no hosted-site delivery", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> TablesAsync()
    {
        var names = await factory.Database.ScalarAsync<string>("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'");
        return names!.Split(',');
    }
}
