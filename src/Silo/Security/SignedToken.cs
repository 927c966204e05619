using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Courier.Silo.Security;

/// <summary>
/// The one token format for links Courier signs (downloads, password resets): the payload's lines,
/// base64url, a dot, and the HMAC-SHA256 of the payload under a key only Courier knows. The token
/// carries its data in the clear; what makes it trustworthy is the signature.
/// </summary>
internal static class SignedToken
{
    private const int MacLength = 32;

    public static string Create(ReadOnlySpan<byte> key, params string[] lines)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, payload))}";
    }

    /// <summary>The payload's lines, or null when the token is missing, longer than <paramref name="maxLength"/>, malformed or signed with another key.</summary>
    public static string[]? Open(string? token, ReadOnlySpan<byte> key, int maxLength)
    {
        if (token is null || token.Length > maxLength) return null;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !Base64Url.IsValid(token.AsSpan(0, dot)) || !Base64Url.IsValid(token.AsSpan(dot + 1))) return null;
        var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        return mac.Length == MacLength && CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload))
            ? Encoding.UTF8.GetString(payload).Split('\n')
            : null;
    }
}
