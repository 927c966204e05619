using Courier.WebFront.Pages.Shared;

namespace Courier.WebFront.Hosting;

/// <summary>
/// The Content-Security-Policy a response is sent with (<see cref="SecurityHeaders"/> writes it).
/// Everything Courier serves gets <see cref="Storefront"/>; the few endpoints whose pages are not
/// Courier's own markup carry a looser one as endpoint metadata (<c>.WithMetadata(...)</c>).
/// Every policy keeps <c>frame-ancestors 'none'</c>: no page of this origin may be framed.
/// </summary>
internal sealed record ContentSecurityPolicy(string Value)
{
    /// <summary>
    /// Courier's pages, API answers and files: everything from this origin, no inline script but the
    /// theme bootstrap (by its hash), no inline style at all. <c>connect-src 'self'</c> covers the
    /// live hub's same-origin WebSocket.
    /// </summary>
    public static ContentSecurityPolicy Storefront { get; } = new(
        $"default-src 'self'; script-src 'self' {ThemeBootstrap.ScriptHashSource}; style-src 'self'; img-src 'self'; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");

    /// <summary>
    /// The Orleans dashboard (/admin/orleans, Microsoft.Orleans.Dashboard): its script is a file of
    /// its own, but its page and charts set style attributes, and its icon font is a data: URL.
    /// </summary>
    public static ContentSecurityPolicy OrleansDashboard { get; } = new(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");

    /// <summary>
    /// The API reference (/docs/api, Scalar): Scalar writes its start-up as an inline module script
    /// (the document's address and options) and styles its components inline. The page shows only the
    /// OpenAPI document, which Courier itself produces.
    /// </summary>
    public static ContentSecurityPolicy ApiReference { get; } = new(
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");

    /// <summary>
    /// A hosted site's files (/sites/{site}/…): any static site, with its inline scripts and styles and
    /// whatever it loads over HTTPS (fonts, analytics, a CDN). Its files come from a product's zip, which
    /// only the store's admins upload; content nobody vouches for belongs on a host of its own (the Http
    /// site host). Still never framed, and never a plugin.
    /// </summary>
    public static ContentSecurityPolicy HostedSite { get; } = new(
        "default-src 'self' https: data: blob:; script-src 'self' https: 'unsafe-inline'; style-src 'self' https: 'unsafe-inline'; " +
        "img-src 'self' https: data: blob:; font-src 'self' https: data:; connect-src 'self' https:; object-src 'none'; base-uri 'self'; " +
        "form-action 'self' https:; frame-ancestors 'none'");
}
