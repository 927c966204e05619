using Courier.EndToEnd.Tests.Browsing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Operations;

/// <summary>
/// The pages that are not the storefront's own markup — the API reference, the Orleans dashboard,
/// the dev mailbox — render under their Content-Security-Policy without the browser refusing anything.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class OperatorPagesTests(ChromiumBrowser browser, StoreServer store)
{
    [Fact]
    public async Task Api_reference_renders_the_api_under_its_policy()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);

        await visit.Page.GotoAsync("/docs/api/");

        // A rendered code sample: Scalar names its copy button "Copy code" or "Copy cURL code" by version and sample.
        await Expect(visit.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy (cURL )?code$") }).First).ToBeAttachedAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Responses" }).First).ToBeAttachedAsync();
        // Scalar's bundled Zod tries Function('') once to see whether it may compile validators, and
        // without eval validates as well, only slower: that refusal is the policy working.
        var zodProbe = $"{ConsoleErrors.ContentSecurityPolicyViolation}: script-src refused eval at {visit.Store.Address}docs/api/scalar.js:";
        Assert.All(visit.ConsoleErrors.All, error => Assert.Contains(zodProbe, error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_sees_the_orleans_dashboard_and_the_dev_mailbox_under_their_policies()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        await visit.Page.GotoAsync("/");
        await StoreApi.PostAsync(visit.Page, "/api/auth/login", new { email = "admin@courier.test", password = "courier-demo-admin" });

        await visit.Page.GotoAsync("/admin/orleans/");
        await Expect(visit.Page.GetByText("Active Silos").First).ToBeVisibleAsync();
        await Expect(visit.Page.Locator("#menu a").First).ToBeVisibleAsync();
        await visit.Page.GotoAsync("/dev/mail");
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("e-mail");

        visit.ConsoleErrors.AssertNone();
    }
}
