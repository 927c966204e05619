namespace Courier.WebFront.Accounts;

/// <summary>
/// Names a device the way its owner would ("Firefox on Windows", "Safari on iPhone") from its
/// User-Agent header, for the list of signed-in devices and the new-sign-in e-mail. Stands in for
/// a user-agent parsing library (none is served here); it knows the common browsers and systems
/// and says "Unknown browser" or "an unknown system" for the rest.
/// </summary>
internal static class UserAgentDevice
{
    public static string Describe(string? userAgent)
    {
        var ua = userAgent ?? "";
        return $"{Browser(ua)} on {System(ua)}";
    }

    private static string Browser(string ua) =>
        Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/") ? "Edge"
        : Has(ua, "OPR/") || Has(ua, "Opera") ? "Opera"
        : Has(ua, "SamsungBrowser/") ? "Samsung Internet"
        : Has(ua, "Firefox/") || Has(ua, "FxiOS/") ? "Firefox"
        : Has(ua, "Chrome/") || Has(ua, "CriOS/") || Has(ua, "Chromium/") ? "Chrome"
        : Has(ua, "Safari/") && Has(ua, "Version/") ? "Safari"
        : Has(ua, "curl/") ? "curl"
        : "Unknown browser";

    private static string System(string ua) =>
        Has(ua, "iPhone") ? "iPhone"
        : Has(ua, "iPad") ? "iPad"
        : Has(ua, "Android") ? "Android"
        : Has(ua, "Windows") ? "Windows"
        : Has(ua, "CrOS") ? "ChromeOS"
        : Has(ua, "Mac OS X") || Has(ua, "Macintosh") ? "macOS"
        : Has(ua, "Linux") ? "Linux"
        : "an unknown system";

    private static bool Has(string ua, string token) => ua.Length <= 2048 && ua.Contains(token, StringComparison.Ordinal);
}
