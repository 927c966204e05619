using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Runtime;
using Microsoft.Extensions.Options;
using Npgsql;
using Courier.Silo.Deliveries;

namespace Courier.Silo.SiteAccess;

/// <summary>A site the built-in host serves. Revoked (or not yet usable) sites refuse every sign-in.</summary>
public sealed record HostedSite(string SiteId, string DeliveryId, string ProductId, string? SealedCredentials, int CredentialsVersion, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null || SealedCredentials is null;

    public override string ToString() => $"HostedSite {{ SiteId = {SiteId}, DeliveryId = {DeliveryId}, CredentialsVersion = {CredentialsVersion}, RevokedAt = {RevokedAt} }}";
}

/// <summary>
/// The built-in host's sites as its web pages need them: the site behind an id, whether a sign-in
/// matches its current credentials, and its files. Files come from the product's zip and are looked
/// up by name in memory, so no part of a request path ever reaches the file system.
/// </summary>
public sealed partial class HostedSites
{
    public const int MaxFiles = 2_000;
    public const long MaxSiteBytes = 64L * 1024 * 1024;

    private readonly NpgsqlDataSource dataSource;
    private readonly IGrainFactory grains;
    private readonly SiteCredentialVault vault;
    private readonly IOptions<FileStoreOptions> files;
    private readonly ConcurrentDictionary<string, SiteBundle> bundles = new(StringComparer.Ordinal);

    internal HostedSites(NpgsqlDataSource dataSource, IGrainFactory grains, SiteCredentialVault vault, IOptions<FileStoreOptions> files)
    {
        this.dataSource = dataSource;
        this.grains = grains;
        this.vault = vault;
        this.files = files;
    }

    public static bool IsWellFormedId(string siteId) => siteId.Length <= 64 && SiteIdPattern().IsMatch(siteId);

    public async Task<HostedSite?> FindAsync(string siteId, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(siteId)) return null;
        await using var command = dataSource.CreateCommand(
            "SELECT site_id, delivery_id, product_id, sealed_credentials, credentials_version, revoked_at FROM hosted_sites WHERE site_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = siteId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new HostedSite(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }

    public bool SignInMatches(HostedSite site, string username, string password) =>
        !site.IsRevoked && vault.Open(site.SealedCredentials!).Matches(username, password);

    /// <summary>
    /// The file at <paramref name="path"/> inside the site ("" and folders mean their index.html);
    /// null for anything that is not a plain file of the site (unknown names, "..", hidden files).
    /// </summary>
    public async Task<HostedSiteFile?> FileAsync(HostedSite site, string path, CancellationToken cancellationToken)
    {
        var name = NormalizeRequestPath(path);
        if (name is null) return null;
        var product = await grains.GetGrain<IProductGrain>(site.ProductId).GetAsync().ConfigureAwait(false);
        if (product?.DownloadFile is not { Length: > 0 } siteFiles) return null;
        var bundle = await BundleAsync(files.Value.PathOf(siteFiles), cancellationToken).ConfigureAwait(false);
        return bundle?.Files.TryGetValue(name, out var content) == true ? new HostedSiteFile(name, content) : null;
    }

    internal static string? NormalizeRequestPath(string path)
    {
        if (path.Length == 0 || path.EndsWith('/')) path += "index.html";
        var segments = path.Split('/');
        return segments.All(s => SegmentPattern().IsMatch(s)) ? path : null;
    }

    private async Task<SiteBundle?> BundleAsync(string zipPath, CancellationToken cancellationToken)
    {
        var info = new FileInfo(zipPath);
        if (!info.Exists) return null;
        if (bundles.TryGetValue(zipPath, out var cached) && cached.WrittenAt == info.LastWriteTimeUtc && cached.Length == info.Length) return cached;
        var bundle = new SiteBundle(info.LastWriteTimeUtc, info.Length, await ReadZipAsync(zipPath, cancellationToken).ConfigureAwait(false));
        bundles[zipPath] = bundle;
        return bundle;
    }

    /// <summary>The zip's files by their path; a single top folder (as the template zips have) is left out.</summary>
    private static async Task<IReadOnlyDictionary<string, byte[]>> ReadZipAsync(string zipPath, CancellationToken cancellationToken)
    {
        await using var zip = await ZipFile.OpenReadAsync(zipPath, cancellationToken).ConfigureAwait(false);
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
        if (entries.Count > MaxFiles)
            throw new InvalidOperationException($"The site zip {zipPath} has {entries.Count} files; a hosted site may have at most {MaxFiles}.");
        var names = entries.Select(e => e.FullName.Replace('\\', '/').TrimStart('/')).ToList();
        var top = names.Select(n => n.Split('/')[0]).Distinct().ToList();
        var stripTop = top.Count == 1 && names.All(n => n.Contains('/', StringComparison.Ordinal));
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var name = stripTop ? names[i][(names[i].IndexOf('/', StringComparison.Ordinal) + 1)..] : names[i];
            if (NormalizeRequestPath(name) != name) continue; // "..", hidden files and odd names are never served
            total += entries[i].Length;
            if (total > MaxSiteBytes)
                throw new InvalidOperationException($"The site zip {zipPath} unpacks to more than {MaxSiteBytes / 1024 / 1024} MB; a hosted site may not be larger.");
            await using var stream = await entries[i].OpenAsync(cancellationToken).ConfigureAwait(false);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            contents[name] = copy.ToArray();
        }
        return contents;
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SiteIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex SegmentPattern();

    private sealed record SiteBundle(DateTime WrittenAt, long Length, IReadOnlyDictionary<string, byte[]> Files);
}

public sealed record HostedSiteFile(string Name, byte[] Content);
