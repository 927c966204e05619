using Xunit.Sdk;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>The checks every page test leans on really catch what they promise to catch.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class BrowserChecksTests(ChromiumBrowser browser, StoreServer store)
{
    [Fact]
    public async Task Accessibility_check_names_the_rule_the_element_and_the_explanation_of_a_serious_violation()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Phone);
        await visit.Page.GotoAsync("/");
        await visit.Page.SetContentAsync("""<html lang="en"><title>Form</title><main><h1>Sign up</h1><input id="email"></main></html>""");

        var failure = await Assert.ThrowsAsync<FailException>(() => Accessibility.AssertNoSeriousViolationsAsync(visit.Page));

        Assert.Contains("label (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#email", failure.Message, StringComparison.Ordinal);
        Assert.Contains("https://dequeuniversity.com/rules/axe/", failure.Message, StringComparison.Ordinal);
        Assert.Contains("phone 390×844, light", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_errors_and_uncaught_exceptions_of_every_tab_are_reported()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        await visit.Page.GotoAsync("/");
        var second = await visit.OpenTabAsync();
        await second.GotoAsync("/");

        await visit.Page.EvaluateAsync("() => console.error('cart total failed to load')");
        await second.EvaluateAsync("() => setTimeout(() => { throw new Error('tracker crashed'); })");
        await second.WaitForFunctionAsync("() => new Promise(done => setTimeout(() => done(true), 50))");

        var failure = Assert.Throws<FailException>(visit.ConsoleErrors.AssertNone);
        Assert.Contains("cart total failed to load", failure.Message, StringComparison.Ordinal);
        Assert.Contains("tracker crashed", failure.Message, StringComparison.Ordinal);
    }
}
