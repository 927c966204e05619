using Microsoft.Extensions.Options;

namespace Courier.Silo.SiteAccess;

public enum SiteAccessProvider
{
    /// <summary>Courier hosts the product's site itself at /sites/{account}.</summary>
    Builtin,

    /// <summary>The seller's hosting creates the accounts, through a signed HTTP endpoint.</summary>
    Http,
}

/// <summary>Configuration section "Deliveries:SiteAccess": which host provisions hosted-site accounts, and how.</summary>
public sealed class SiteAccessOptions
{
    public const string Section = "Deliveries:SiteAccess";

    public SiteAccessProvider Provider { get; set; } = SiteAccessProvider.Builtin;

    public HttpSiteHostOptions Http { get; set; } = new();

    public BuiltinSiteHostOptions Builtin { get; set; } = new();
}

public sealed class HttpSiteHostOptions
{
    /// <summary>The seller's provisioning endpoint; every request (provision, rotate, remove) is a signed POST to it.</summary>
    public Uri? Url { get; set; }

    /// <summary>The shared secret the requests are signed with (HMAC-SHA256); at least 32 characters.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class BuiltinSiteHostOptions
{
    /// <summary>How long a sign-in to a built-in site lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

internal sealed class SiteAccessOptionsValidator : IValidateOptions<SiteAccessOptions>
{
    public const int MinimumSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, SiteAccessOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
            failures.Add($"Deliveries:SiteAccess:Provider must be Builtin or Http; it is {options.Provider}.");
        if (options.Provider == SiteAccessProvider.Http)
        {
            if (options.Http.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                failures.Add("Deliveries:SiteAccess:Http:Url must be the absolute http(s) address of your hosting's provisioning endpoint "
                    + "(e.g. Deliveries__SiteAccess__Http__Url=https://hosting.example.com/courier/accounts), because Provider is Http.");
            if (options.Http.Secret.Length < MinimumSecretLength)
                failures.Add($"Deliveries:SiteAccess:Http:Secret must be a shared secret of at least {MinimumSecretLength} characters "
                    + "(e.g. the output of `openssl rand -hex 32`); your endpoint uses it to check the Courier-Signature header.");
        }
        if (options.Http.Timeout < TimeSpan.FromSeconds(1) || options.Http.Timeout > TimeSpan.FromMinutes(2))
            failures.Add($"Deliveries:SiteAccess:Http:Timeout must be between 00:00:01 and 00:02:00; it is {options.Http.Timeout}.");
        if (options.Builtin.SessionLifetime < TimeSpan.FromMinutes(5) || options.Builtin.SessionLifetime > TimeSpan.FromDays(30))
            failures.Add($"Deliveries:SiteAccess:Builtin:SessionLifetime must be between 00:05:00 and 30.00:00:00; it is {options.Builtin.SessionLifetime}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
