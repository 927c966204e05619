using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
    private const int MacLength = 32;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public static SignedDownloadLink For(string deliveryId, DownloadLinkGrant grant) => new(deliveryId, grant.LinkId, grant.ExpiresAt);

    public string Token(ReadOnlySpan<byte> key)
    {
        var payload = Payload(DeliveryId, LinkId, ExpiresAt);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, payload))}";
    }

    public string Path(ReadOnlySpan<byte> key) => PathPrefix + Token(key);

    /// <summary>The link a token stands for, or null when it is malformed or its signature is wrong. Expiry is not checked here.</summary>
    public static SignedDownloadLink? Read(string? token, ReadOnlySpan<byte> key)
    {
        if (token is null || token.Length > MaxTokenLength) return null;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !Base64Url.IsValid(token.AsSpan(0, dot)) || !Base64Url.IsValid(token.AsSpan(dot + 1))) return null;
        var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        if (mac.Length != MacLength || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload))) return null;

        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        return parts.Length == 4 && parts[0] == Version && parts[1].Length > 0
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var linkId)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            ? new SignedDownloadLink(parts[1], linkId, DateTimeOffset.FromUnixTimeMilliseconds(expires))
            : null;
    }

    private static byte[] Payload(string deliveryId, int linkId, DateTimeOffset expiresAt) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}\n{deliveryId}\n{linkId}\n{expiresAt.ToUnixTimeMilliseconds()}"));
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
