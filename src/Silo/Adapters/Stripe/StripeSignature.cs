using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// Stripe's webhook signature scheme: the <c>Stripe-Signature</c> header is
/// <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}</c>, possibly with several
/// <c>v1</c> values (while a secret is being rolled) and a legacy <c>v0</c>, which is ignored.
/// The simulated payment provider signs its webhooks with <see cref="Sign"/>, so one verifier serves both.
/// </summary>
internal static class StripeSignature
{
    public const string HeaderName = "Stripe-Signature";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>A header value signing <paramref name="payload"/> at <paramref name="timestamp"/>, as Stripe would send it.</summary>
    public static string Sign(string payload, string secret, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var seconds = timestamp.ToUnixTimeSeconds();
        var signature = Convert.ToHexStringLower(ComputeSignature(payload, secret, seconds));
        return $"t={seconds.ToString(CultureInfo.InvariantCulture)},v1={signature}";
    }

    /// <summary>
    /// Checks that <paramref name="header"/> signs exactly <paramref name="payload"/> (the raw request
    /// body, byte for byte as received) with <paramref name="secret"/>, within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static StripeSignatureCheck Verify(string? header, string payload, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);

        if (string.IsNullOrWhiteSpace(header))
        {
            return StripeSignatureCheck.Fail(StripeSignatureFailure.MissingHeader,
                $"The request has no {HeaderName} header; only Stripe (or the simulated provider) may call this endpoint.");
        }

        long? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var key = part[..separator];
            var value = part[(separator + 1)..];
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                timestamp = seconds;
            }
            else if (key == "v1")
            {
                candidates.Add(value);
            }
        }

        if (timestamp is null)
        {
            return StripeSignatureCheck.Fail(StripeSignatureFailure.NoTimestamp,
                $"The {HeaderName} header has no valid timestamp (t=…); it is not a Stripe signature.");
        }

        if (candidates.Count == 0)
        {
            return StripeSignatureCheck.Fail(StripeSignatureFailure.NoV1Signature,
                $"The {HeaderName} header has no v1 signature; only v1 (HMAC-SHA256) signatures are accepted.");
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(timestamp.Value);
        var allowed = tolerance ?? DefaultTolerance;
        if ((now - signedAt).Duration() > allowed)
        {
            return StripeSignatureCheck.Fail(StripeSignatureFailure.TimestampOutsideTolerance,
                $"The signature was made at {signedAt:u}, more than {allowed.TotalSeconds:0} s from now ({now.ToUniversalTime():u}). "
                + "Either it is a replay or this server's clock is wrong; check the clock (NTP) if genuine events fail.");
        }

        var expected = ComputeSignature(payload, secret, timestamp.Value);
        foreach (var candidate in candidates)
        {
            if (IsSameSignature(expected, candidate))
            {
                return StripeSignatureCheck.Valid(signedAt);
            }
        }

        return StripeSignatureCheck.Fail(StripeSignatureFailure.NoMatchingSignature,
            "No v1 signature matches the body. Either the body was changed on the way (verify the raw body, not re-serialized JSON) "
            + "or Stripe:WebhookSecret is not this endpoint's signing secret (whsec_… under Developers → Webhooks).");
    }

    private static byte[] ComputeSignature(string payload, string secret, long timestamp)
    {
        var signedText = string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{payload}");
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signedText));
    }

    private static bool IsSameSignature(byte[] expected, string candidateHex)
    {
        if (candidateHex.Length != expected.Length * 2)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(candidateHex));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

internal enum StripeSignatureFailure
{
    None,
    MissingHeader,
    NoTimestamp,
    NoV1Signature,
    TimestampOutsideTolerance,
    NoMatchingSignature,
}

/// <summary>The outcome of <see cref="StripeSignature.Verify"/>; <see cref="Reason"/> is written for the operator reading the log.</summary>
internal sealed record StripeSignatureCheck(bool IsValid, StripeSignatureFailure Failure, string Reason, DateTimeOffset? SignedAt)
{
    public static StripeSignatureCheck Valid(DateTimeOffset signedAt) => new(true, StripeSignatureFailure.None, "Signature valid.", signedAt);

    public static StripeSignatureCheck Fail(StripeSignatureFailure failure, string reason) => new(false, failure, reason, null);
}
