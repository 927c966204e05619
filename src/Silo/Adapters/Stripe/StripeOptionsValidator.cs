using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// Checks the "Stripe" section at start-up. The keys are required only when Stripe is the payment
/// provider (<c>Payments:Provider=Stripe</c>), so the default simulated setup starts with none.
/// </summary>
internal sealed class StripeOptionsValidator(IConfiguration configuration) : IValidateOptions<StripeOptions>
{
    public const string ProviderKey = "Payments:Provider";

    public static bool IsStripeSelected(IConfiguration configuration) =>
        string.Equals(configuration[ProviderKey], "Stripe", StringComparison.OrdinalIgnoreCase);

    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();

        if (IsStripeSelected(configuration))
        {
            if (string.IsNullOrWhiteSpace(options.SecretKey))
            {
                failures.Add("Stripe:SecretKey is empty but Payments:Provider is Stripe. Set it to the secret key "
                    + "from Stripe's dashboard (Developers → API keys), e.g. environment variable Stripe__SecretKey=sk_test_…, "
                    + "or set Payments:Provider=Simulated.");
            }
            else if (!options.SecretKey.StartsWith("sk_", StringComparison.Ordinal)
                && !options.SecretKey.StartsWith("rk_", StringComparison.Ordinal))
            {
                failures.Add("Stripe:SecretKey does not look like a Stripe secret key (sk_… or rk_…). "
                    + "The publishable key (pk_…) cannot create sessions; copy the secret key instead.");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                failures.Add("Stripe:WebhookSecret is empty but Payments:Provider is Stripe, so no webhook could be verified. "
                    + "Set it to the endpoint's signing secret (whsec_…) from Stripe's dashboard (Developers → Webhooks).");
            }
        }

        if (!options.ApiBase.IsAbsoluteUri || (options.ApiBase.Scheme != Uri.UriSchemeHttps && options.ApiBase.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Stripe:ApiBase '{options.ApiBase}' must be an absolute http(s) address such as https://api.stripe.com.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"Stripe:Timeout must be positive (e.g. 00:00:30); it is {options.Timeout}.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"Stripe:MaxRetries must be between 0 and 10; it is {options.MaxRetries}.");
        }

        if (options.WebhookTolerance < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Stripe:WebhookTolerance must be at least one second (e.g. 00:05:00); it is {options.WebhookTolerance}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
