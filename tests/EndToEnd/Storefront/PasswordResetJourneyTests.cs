using System.Text.RegularExpressions;
using Courier.EndToEnd.Tests.Browsing;
using Courier.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Storefront;

/// <summary>
/// A customer who forgot their password gets back in without anyone's help: from the sign-in page
/// to the e-mailed link to their account, in Chromium; the session left open elsewhere ends.
/// The security page then shows this device, and signs out another; the profile page deletes the
/// account, but only with the password and the confirmation.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed partial class PasswordResetJourneyTests(ChromiumBrowser browser, StoreServer store)
{
    [GeneratedRegex(@"/reset-password\?token=\S+")]
    private static partial Regex ResetLink();

    [Fact]
    public async Task Forgotten_password_is_reset_from_the_emailed_link_and_the_old_session_ends()
    {
        var email = $"forgetful-{Guid.NewGuid():N}@example.com";
        await using var laptop = await browser.VisitAsync(store, Screen.Desktop);
        await laptop.Page.GotoAsync("/signin");
        await StoreApi.RegisterAsync(laptop.Page, email);
        await using var phone = await browser.VisitAsync(store, Screen.Phone);
        var page = phone.Page;

        await page.GotoAsync("/signin");
        await page.GetByTestId("signin-forgot").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/forgot-password$"));
        await Expect(page.GetByTestId("forgot-submit")).ToBeEnabledAsync();
        await page.GetByTestId("forgot-email").FillAsync(email);
        await page.GetByTestId("forgot-submit").ClickAsync();
        await Expect(page.GetByTestId("forgot-done")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("forgot-done-message")).ToContainTextAsync(email);
        await Expect(page.GetByTestId("forgot-form")).ToBeHiddenAsync();

        var link = await ResetLinkAsync(email);
        await page.GotoAsync(link);
        await Expect(page.GetByTestId("reset-submit")).ToBeEnabledAsync();
        await page.GetByTestId("reset-password").FillAsync("short");
        await page.GetByTestId("reset-submit").ClickAsync();
        await Expect(page.Locator("#reset-password-error")).ToContainTextAsync("at least 10 characters");
        await page.GetByTestId("reset-password").FillAsync("my new and better passphrase");
        await page.GetByTestId("reset-submit").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/account$"));
        await Expect(page.GetByTestId("account-name").First).ToHaveTextAsync("Ada Lovelace");
        await laptop.Page.GotoAsync("/account");
        await Expect(laptop.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl="));
        await page.GotoAsync(link);
        await page.GetByTestId("reset-password").FillAsync("yet another passphrase");
        await page.GetByTestId("reset-submit").ClickAsync();
        await Expect(page.GetByTestId("reset-error")).ToContainTextAsync("already used");
        phone.ConsoleErrors.AssertNone("/api/auth/password-reset/confirm");
        laptop.ConsoleErrors.AssertNone();
    }

    [Fact]
    public async Task Security_page_lists_this_device_and_signs_out_another()
    {
        var email = $"careful-{Guid.NewGuid():N}@example.com";
        await using var desk = await browser.VisitAsync(store, Screen.Desktop);
        await desk.Page.GotoAsync("/signin");
        await StoreApi.RegisterAsync(desk.Page, email);
        await using var other = await browser.VisitAsync(store, Screen.Phone);
        await other.Page.GotoAsync("/signin");
        await StoreApi.PostAsync(other.Page, "/api/auth/login", new { email, password = "a long and memorable passphrase" });
        var page = desk.Page;

        await page.GotoAsync("/account");
        await page.GetByTestId("account-nav-security").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/security$"));
        var devices = page.GetByTestId("device");
        await Expect(devices).ToHaveCountAsync(2);
        await Expect(devices.First.GetByTestId("device-current")).ToBeVisibleAsync();
        await devices.Nth(1).GetByTestId("device-sign-out").ClickAsync();

        await Expect(page.GetByTestId("devices-status")).ToContainTextAsync("is signed out");
        await Expect(devices).ToHaveCountAsync(1);
        await other.Page.GotoAsync("/account");
        await Expect(other.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl="));
        desk.ConsoleErrors.AssertNone();
        other.ConsoleErrors.AssertNone();
    }

    [Fact]
    public async Task Account_is_deleted_from_the_profile_page_only_with_the_password_and_the_confirmation()
    {
        var email = $"leaving-{Guid.NewGuid():N}@example.com";
        await using var phone = await browser.VisitAsync(store, Screen.Phone);
        var page = phone.Page;
        await page.GotoAsync("/signin");
        await StoreApi.RegisterAsync(page, email);

        await page.GotoAsync("/account/profile");
        await Expect(page.GetByTestId("delete-submit")).ToBeEnabledAsync();
        await page.GetByTestId("delete-password").FillAsync("not my password at all");
        await page.GetByTestId("delete-confirm").CheckAsync();
        await page.GetByTestId("delete-submit").ClickAsync();
        await Expect(page.Locator("#delete-password-error")).ToContainTextAsync("not your password");
        await page.GetByTestId("delete-password").FillAsync("a long and memorable passphrase");
        await page.GetByTestId("delete-confirm").UncheckAsync();
        await page.GetByTestId("delete-submit").ClickAsync();
        await Expect(page.Locator("#delete-confirm-error")).ToContainTextAsync("Tick the box");
        await Expect(page).ToHaveURLAsync(new Regex("/account/profile$"));

        await page.GetByTestId("delete-confirm").CheckAsync();
        await page.GetByTestId("delete-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GotoAsync("/account");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl="));
        Assert.Equal(0L, await store.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE email = $1", email));
        phone.ConsoleErrors.AssertNone("/api/me/delete");
    }

    private async Task<string> ResetLinkAsync(string email)
    {
        string? link = null;
        await Eventually.TrueAsync(async () =>
        {
            var body = await store.Database.ScalarAsync<string>(
                "SELECT text_body FROM mailbox WHERE recipient = $1 AND kind = 'password-reset' ORDER BY sent_at DESC LIMIT 1", email);
            link = body is null ? null : ResetLink().Match(body) is { Success: true } match ? match.Value : null;
            return link is not null;
        }, TimeSpan.FromSeconds(20), "the reset e-mail arrives");
        return link!;
    }
}
