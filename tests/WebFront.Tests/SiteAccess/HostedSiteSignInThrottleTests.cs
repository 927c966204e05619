using System.Net;

namespace Courier.WebFront.Tests.SiteAccess;

public sealed class HostedSiteSignInThrottleTests(StrictSignInWebFactory factory) : IClassFixture<StrictSignInWebFactory>
{
    [Fact]
    public async Task Repeated_failed_sign_ins_are_throttled_and_even_the_right_password_waits_with_retry_after()
    {
        var (customer, deliveryId, _) = await factory.BuyHostedSiteAsync();
        using var _ = customer;
        var credentials = await customer.CredentialsAsync(deliveryId);
        using var browser = new SiteBrowser(factory.Address);

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            failures.Add((await browser.SignInAsync(credentials.LoginUrl, credentials.Username, "wrong-password-" + i)).StatusCode);
        using var throttled = await browser.SignInAsync(credentials.LoginUrl, credentials.Username, credentials.Password);

        Assert.All(failures, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Contains("Too many failed sign-ins", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Courier.Site", browser.Cookies.GetAllCookies().Select(c => c.Name));
    }
}
