using System.Text;
using System.Text.Json;
using Courier.TestSupport.Node;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Checks a page with axe-core (Deque's accessibility engine, installed from npm into
/// <c>tests/node</c>) as it is shown right now — screen size and colour scheme included.
/// </summary>
public static class Accessibility
{
    private static readonly Lazy<Task<string>> AxeSource = new(LoadAxeAsync);

    /// <summary>Fails with every <c>serious</c> or <c>critical</c> violation: rule, impact, elements, what is wrong and where the rule is explained.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync("() => {\n" + await AxeSource.Value + "\n}");

        var json = await page.EvaluateAsync<string>("""
            async () => {
              const results = await window.axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
                })));
            }
            """);
        var violations = JsonSerializer.Deserialize<Violation[]>(json, JsonSerializerOptions.Web)!;
        if (violations.Length == 0) return;

        var look = await PageLook.OfAsync(page);
        var report = new StringBuilder($"axe-core found {violations.Length} serious or critical accessibility violation(s) on {page.Url} ({look}):");
        foreach (var violation in violations)
        {
            report.Append($"\n  {violation.Id} ({violation.Impact}): {violation.Help}\n    {violation.HelpUrl}");
            foreach (var node in violation.Nodes.Take(5))
                report.Append($"\n    - {node.Target}: {node.Summary.ReplaceLineEndings(" ")}");
            if (violation.Nodes.Length > 5) report.Append($"\n    … and {violation.Nodes.Length - 5} more element(s)");
        }
        Assert.Fail(report.ToString());
    }

    private static async Task<string> LoadAxeAsync()
    {
        await NodeTestPackages.EnsureInstalledAsync();
        return await File.ReadAllTextAsync(Path.Combine(NodeTestPackages.Folder, "node_modules", "axe-core", "axe.min.js"));
    }

    private sealed record Violation(string Id, string Impact, string Help, string HelpUrl, ViolatingNode[] Nodes);

    private sealed record ViolatingNode(string Target, string Summary);
}
