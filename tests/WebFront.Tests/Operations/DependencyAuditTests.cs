using System.Diagnostics;
using Courier.TestSupport;

namespace Courier.WebFront.Tests.Operations;

/// <summary>
/// <c>./courier audit</c> run for real, reading saved tool outputs from <c>AuditSamples/</c> instead
/// of calling dotnet and npm. Recorded on the development machine: <c>nuget-list-clean.json</c>,
/// <c>nuget-index-mirror.json</c> (a NuGet mirror without vulnerability data) and
/// <c>npm-audit-405.json</c> (a registry refusing the advisory endpoint). The others are written in
/// the same tools' formats, with real advisories.
/// </summary>
public sealed class DependencyAuditTests
{
    private const string CleanNuGet = "nuget-list-clean.json";
    private const string FeedWithAdvisories = "nuget-index-with-vulnerabilities.json";
    private const string CleanNpm = "npm-audit-clean.json";

    [Fact]
    public async Task Audit_with_a_high_npm_advisory_fails_and_names_the_package_and_its_advisory()
    {
        var audit = await AuditAsync(CleanNuGet, FeedWithAdvisories, "npm-audit-high.json");

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("npm tests/node: 1 high, 0 critical (1 moderate: nanoid)", audit.Lines);
        Assert.Contains(audit.Lines, line => line.Contains("high", StringComparison.Ordinal)
            && line.Contains("lodash", StringComparison.Ordinal)
            && line.Contains("https://github.com/advisories/GHSA-35jh-r3h4-6jhm", StringComparison.Ordinal));
        Assert.StartsWith("audit: FAILED: high/critical vulnerabilities in npm ", audit.LastLine, StringComparison.Ordinal);
        Assert.Contains("npm tests/node", audit.LastLine, StringComparison.Ordinal);
        Assert.DoesNotContain("nuget", audit.LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_with_high_NuGet_advisories_fails_and_lists_each_package_once_with_its_projects()
    {
        var audit = await AuditAsync("nuget-list-vulnerable.json", FeedWithAdvisories, CleanNpm);

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("nuget: 2 high, 0 critical", audit.Lines);
        var regex = Assert.Single(audit.Lines, line => line.Contains("System.Text.RegularExpressions", StringComparison.Ordinal));
        Assert.Contains("https://github.com/advisories/GHSA-cmhx-cq75-c4mj", regex, StringComparison.Ordinal);
        Assert.Contains("(Courier.Silo, Courier.WebFront)", regex, StringComparison.Ordinal);
        Assert.Contains(audit.Lines, line => line.Contains("Newtonsoft.Json 12.0.1", StringComparison.Ordinal));
        Assert.Equal("audit: FAILED: high/critical vulnerabilities in nuget", audit.LastLine);
    }

    [Fact]
    public async Task Audit_fails_on_a_vulnerability_that_only_restore_reported()
    {
        var audit = await AuditAsync(CleanNuGet, FeedWithAdvisories, CleanNpm, restoreLog: "nuget-restore-nu1903.log");

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("nuget: 1 high, 0 critical", audit.Lines);
        Assert.Contains(audit.Lines, line => line.Contains("Newtonsoft.Json 12.0.1", StringComparison.Ordinal)
            && line.Contains("GHSA-5crp-9r3c-p9vr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_of_clean_reports_from_feeds_with_advisory_data_passes_and_says_what_it_checked()
    {
        var audit = await AuditAsync(CleanNuGet, FeedWithAdvisories, CleanNpm);

        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("nuget: 0 vulnerable packages", audit.Lines);
        Assert.Contains("npm src/WebFront/Client: 0 high, 0 critical", audit.Lines);
        Assert.Contains("npm tests/node: 0 high, 0 critical", audit.Lines);
        Assert.StartsWith("audit: 0 high/critical found (checked: nuget, ", audit.LastLine, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT CHECKED", audit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_against_a_NuGet_mirror_without_vulnerability_data_says_not_checked_instead_of_clean()
    {
        var audit = await AuditAsync(CleanNuGet, "nuget-index-mirror.json", CleanNpm);

        Assert.Equal(0, audit.ExitCode);
        Assert.Contains(
            "nuget: not checked: https://api.nuget.org/v3/index.json serves no vulnerability data (no VulnerabilityInfo resource in its service index)",
            audit.Lines);
        Assert.DoesNotContain("nuget: 0 vulnerable packages", audit.Lines);
        Assert.Equal("audit: 0 high/critical found; NOT CHECKED (reasons above): nuget", audit.LastLine);
    }

    [Fact]
    public async Task Audit_with_an_audit_source_restore_could_not_use_says_nuget_not_checked()
    {
        var audit = await AuditAsync(CleanNuGet, FeedWithAdvisories, CleanNpm, restoreLog: "nuget-restore-nu1905.log");

        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("nuget: not checked: Audit source 'mirror' did not provide any vulnerability data.", audit.Lines);
        Assert.EndsWith("NOT CHECKED (reasons above): nuget", audit.LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_when_the_npm_registry_refuses_the_advisory_endpoint_says_not_checked_with_its_answer()
    {
        var audit = await AuditAsync(CleanNuGet, FeedWithAdvisories, "npm-audit-405.json");

        Assert.Equal(0, audit.ExitCode);
        Assert.Contains(
            "npm tests/node: not checked: npm audit failed: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
            audit.Lines);
        Assert.DoesNotContain("npm tests/node: 0 high", audit.Output, StringComparison.Ordinal);
        Assert.StartsWith("audit: 0 high/critical found; NOT CHECKED (reasons above): ", audit.LastLine, StringComparison.Ordinal);
        Assert.Contains("npm src/WebFront/Client", audit.LastLine, StringComparison.Ordinal);
        Assert.Contains("npm tests/node", audit.LastLine, StringComparison.Ordinal);
    }

    private static async Task<AuditRun> AuditAsync(string nugetList, string nugetIndex, string npmReport, string? restoreLog = null)
    {
        var samples = Path.Combine(RepositoryPaths.Root, "tests", "WebFront.Tests", "Operations", "AuditSamples");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "courier"));
        start.ArgumentList.Add("audit");
        start.Environment["COURIER_AUDIT_NUGET_JSON"] = Path.Combine(samples, nugetList);
        start.Environment["COURIER_AUDIT_NUGET_INDEX"] = Path.Combine(samples, nugetIndex);
        start.Environment["COURIER_AUDIT_NPM_JSON"] = Path.Combine(samples, npmReport);
        if (restoreLog is not null) start.Environment["COURIER_AUDIT_NUGET_RESTORE_LOG"] = Path.Combine(samples, restoreLog);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new AuditRun(process.ExitCode, await output, await error);
    }

    private sealed record AuditRun(int ExitCode, string Output, string Error)
    {
        public IReadOnlyList<string> Lines { get; } = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public string LastLine => Lines.Count > 0 ? Lines[^1] : $"(no output; stderr: {Error})";
    }
}
