using System.Globalization;
using Courier.Abstractions.Deliveries;
using Courier.Silo.Security;

namespace Courier.Silo.Deliveries;

/// <summary>
/// The one place that builds and checks download links (<c>/d/{token}</c>). A token names a
/// delivery, the number of its link and when the link expires, and carries an HMAC-SHA256 of
/// those under a key only Courier knows. It grants nothing by itself: the delivery still decides
/// (a newer link number, a revocation or the download limit refuse it).
/// </summary>
internal sealed record SignedDownloadLink(string DeliveryId, int LinkId, DateTimeOffset ExpiresAt)
{
    public const string PathPrefix = "/d/";
    private const string Version = "v1";
    private const int MaxTokenLength = 600;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public static SignedDownloadLink For(string deliveryId, DownloadLinkGrant grant) => new(deliveryId, grant.LinkId, grant.ExpiresAt);

    public string Token(ReadOnlySpan<byte> key) =>
        SignedToken.Create(key, Version, DeliveryId, LinkId.ToString(CultureInfo.InvariantCulture), ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    public string Path(ReadOnlySpan<byte> key) => PathPrefix + Token(key);

    /// <summary>The link a token stands for, or null when it is malformed or its signature is wrong. Expiry is not checked here.</summary>
    public static SignedDownloadLink? Read(string? token, ReadOnlySpan<byte> key)
    {
        var parts = SignedToken.Open(token, key, MaxTokenLength);
        return parts is { Length: 4 } && parts[0] == Version && parts[1].Length > 0
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var linkId)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            ? new SignedDownloadLink(parts[1], linkId, DateTimeOffset.FromUnixTimeMilliseconds(expires))
            : null;
    }
}

/// <summary>Download links under the store's own signing key (a <see cref="ProtectedSecrets"/> entry, made on first use).</summary>
internal sealed class DownloadLinks(ProtectedSecrets secrets)
{
    private const string KeyName = "download-links";
    private const int KeyLength = 32;

    public async Task<string> PathAsync(string deliveryId, DownloadLinkGrant grant, CancellationToken cancellationToken = default) =>
        SignedDownloadLink.For(deliveryId, grant).Path(await KeyAsync(cancellationToken).ConfigureAwait(false));

    public async Task<SignedDownloadLink?> ReadAsync(string token, CancellationToken cancellationToken = default) =>
        SignedDownloadLink.Read(token, await KeyAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The view with the current link's address filled in (while the link works).</summary>
    public async Task<DeliveryView> WithLinkAsync(DeliveryView view, CancellationToken cancellationToken = default)
    {
        if (view.Downloads?.Link is not { Expired: false } link) return view;
        var path = await PathAsync(view.Id, new DownloadLinkGrant(link.LinkId, link.ExpiresAt), cancellationToken).ConfigureAwait(false);
        return view with { Downloads = view.Downloads with { Link = link with { Url = path } } };
    }

    private Task<byte[]> KeyAsync(CancellationToken cancellationToken) => secrets.GetOrCreateAsync(KeyName, KeyLength, cancellationToken);
}
