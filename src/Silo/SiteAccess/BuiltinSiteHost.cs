using System.Security.Cryptography;
using Courier.Abstractions.SiteAccess;
using Courier.Silo.Deliveries;

namespace Courier.Silo.SiteAccess;

/// <summary>
/// Courier hosts the purchased site itself, at /sites/{account}, behind a sign-in that checks the
/// credentials made here. The site's pages are the product's file (a zip in the file store). An
/// account becomes usable when the delivery's site access records it (the hosted_sites row), and
/// stops being usable when that row is revoked, so removal here has nothing left to do.
/// </summary>
internal sealed class BuiltinSiteHost(IFileStore files) : ISiteHost
{
    public const int PasswordLength = 20;
    private const string PasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const string SiteIdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public string Name => SiteHostNames.Builtin;

    public static string LoginPath(string siteId) => $"/sites/{siteId}/";

    public async Task<SiteHostAnswer> CreateAsync(SiteAccountOrder order, CancellationToken cancellationToken)
    {
        if (order.SiteFiles is not { Length: > 0 } siteFiles)
            return SiteHostAnswer.Failed($"{order.ProductTitle} has no site files to host; upload the site's zip as the product's file in the admin console.");
        if (!await files.ExistsAsync(siteFiles, cancellationToken).ConfigureAwait(false))
            return SiteHostAnswer.Failed($"The site files {siteFiles} of {order.ProductTitle} are missing from the file store; upload them again in the admin console.");
        var siteId = NewSiteId(order.ProductSlug);
        return SiteHostAnswer.Created(siteId, LoginPath(siteId), new SiteCredentials(order.CustomerEmail, NewPassword()));
    }

    public Task<SiteHostAnswer> RotateAsync(SiteAccountReference account, int rotation, CancellationToken cancellationToken) =>
        Task.FromResult(account.Username is { } username
            ? SiteHostAnswer.Created(account.Account, LoginPath(account.Account), new SiteCredentials(username, NewPassword()))
            : SiteHostAnswer.Failed("The site's current sign-in could not be read, so no new password was made."));

    public Task RemoveAsync(SiteAccountReference account, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>20 characters from 56 unambiguous ones: about 116 bits, out of reach of guessing even without the sign-in throttle.</summary>
    internal static string NewPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, PasswordLength);

    /// <summary>The product's first slug word and ten random characters, e.g. "aurora-k3m9x2pq7d": readable, not guessable.</summary>
    internal static string NewSiteId(string productSlug)
    {
        var word = productSlug.Split('-', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "site";
        if (word.Length > 20) word = word[..20];
        return $"{word}-{RandomNumberGenerator.GetString(SiteIdAlphabet, 10)}";
    }
}
