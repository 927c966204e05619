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

        var failure = Assert.Throws<FailException>(() => visit.ConsoleErrors.AssertNone());
        Assert.Contains("cart total failed to load", failure.Message, StringComparison.Ordinal);
        Assert.Contains("tracker crashed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_content_security_policy_violation_is_reported_with_the_directive_and_what_it_refused()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        await visit.Page.GotoAsync("/");

        await visit.Page.RunAndWaitForConsoleMessageAsync(
            () => visit.Page.EvaluateAsync("() => { const script = document.createElement('script'); script.textContent = 'window.injected = true'; document.body.append(script); }"),
            new() { Predicate = message => message.Text.StartsWith(ConsoleErrors.ContentSecurityPolicyViolation, StringComparison.Ordinal) });
        await visit.Page.EvaluateAsync("() => true"); // one more round trip: every handler of that message has run

        var failure = Assert.Throws<FailException>(() => visit.ConsoleErrors.AssertNone());
        Assert.True(failure.Message.Contains($"{ConsoleErrors.ContentSecurityPolicyViolation}: script-src-elem refused inline", StringComparison.Ordinal), failure.Message);
        Assert.False(await visit.Page.EvaluateAsync<bool>("() => window.injected === true"), "the injected script did not run");
    }

    [Fact]
    public async Task An_error_answer_the_test_provoked_on_purpose_is_excused_only_for_its_own_path()
    {
        await using var visit = await browser.VisitAsync(store, Screen.Desktop);
        await visit.Page.GotoAsync("/signin");
        foreach (var path in new[] { "/api/products/no-such-product", "/api/orders/no-such-order" })
            await visit.Page.RunAndWaitForConsoleMessageAsync(() => visit.Page.EvaluateAsync("path => fetch(path)", path));

        var failure = Assert.Throws<FailException>(() => visit.ConsoleErrors.AssertNone(refusedOnPurpose: "/api/products/no-such-product"));
        Assert.Contains("/api/orders/no-such-order", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/products/no-such-product", failure.Message, StringComparison.Ordinal);
        visit.ConsoleErrors.AssertNone("/api/products/no-such-product", "/api/orders/no-such-order");
    }
}
