namespace Courier.WebFront.Pages.Identity;

/// <summary>Where to go after signing in: only a path on this site, never another site (open redirect).</summary>
internal static class LocalReturnUrl
{
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 and < 500 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    public static string Or(string? url, string fallback) => IsLocal(url) ? url! : fallback;
}
