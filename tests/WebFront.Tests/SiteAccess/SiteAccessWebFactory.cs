using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.SiteAccess;

/// <summary>
/// The web front as <c>./courier run</c> starts it (embedded demo store, built-in site host) on a
/// real Kestrel port, with its log written to a file the tests can search.
/// </summary>
public class SiteAccessWebFactory : CourierWebFactory
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"courier-sites-{Guid.NewGuid():N}");

    public SiteAccessWebFactory() => UseKestrel(0);

    public string LogFolder => Path.Combine(folder, "log");

    public Uri Address
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(ExtraSettings)
    {
        ["Courier:Embedded"] = "true",
        ["Courier:Files:Root"] = Path.Combine(folder, "files"),
        ["Courier:Logging:FilePath"] = Path.Combine(LogFolder, "courier.log"),
        ["Courier:Logging:MinimumLevel"] = "Debug",
    };

    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Everything the app logged so far.</summary>
    public string LogText() =>
        string.Concat(Directory.EnumerateFiles(LogFolder).Select(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }));
}

/// <summary>The same, with the sign-in throttle at 3 failures, so a test can reach it quickly without other tests' failures counting.</summary>
public sealed class StrictSignInWebFactory : SiteAccessWebFactory
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Courier:SignInThrottle:MaxFailures"] = "3",
    };
}
