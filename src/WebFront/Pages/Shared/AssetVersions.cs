using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Courier.WebFront.Pages.Shared;

/// <summary>
/// URLs of files under wwwroot with a content hash appended ("/css/courier.css?v=1a2b3c4d"), so
/// browsers may cache them for a year and still get a new file the moment it changes.
/// </summary>
internal sealed class AssetVersions(IWebHostEnvironment environment)
{
    public const string VersionParameter = "v";
    private readonly ConcurrentDictionary<string, string> urls = new(StringComparer.Ordinal);

    public string Url(string path) => urls.GetOrAdd(path, Versioned);

    private string Versioned(string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.PhysicalPath is null) return "/" + path;
        using var stream = file.CreateReadStream();
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..10];
        return $"/{path}?{VersionParameter}={hash}";
    }
}
