using Courier.Grains.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stripe;

namespace Courier.Silo.Adapters.Stripe;

internal static class StripeServiceCollectionExtensions
{
    private const string HttpClientKey = "Stripe";

    /// <summary>
    /// Registers the Stripe adapter: options from the "Stripe" section (validated at start-up),
    /// Stripe.net's <see cref="StripeClient"/> on Stripe:ApiBase, the webhook receiver, and — when
    /// <c>Payments:Provider=Stripe</c> — Stripe as the <see cref="IPaymentGateway"/>. The webhook
    /// receiver is registered either way: the simulated provider signs its webhooks the same way.
    /// </summary>
    public static IServiceCollection AddStripePayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeOptions>>(new StripeOptionsValidator(configuration)));
        services.TryAddSingleton(TimeProvider.System);

        // Stripe's own HttpClient, outside IHttpClientFactory: Stripe.net keeps it for the client's
        // lifetime and does its own retries, so no shared handler or resilience pipeline may add more.
        services.TryAddKeyedSingleton(HttpClientKey, (provider, _) => new HttpClient(
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = provider.GetRequiredService<IOptions<StripeOptions>>().Value.Timeout,
        });
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = new SystemNetHttpClient(
                provider.GetRequiredKeyedService<HttpClient>(HttpClientKey),
                settings.MaxRetries,
                new AppInfo { Name = "Courier" },
                enableTelemetry: false);
            return new StripeClient(
                apiKey: string.IsNullOrEmpty(settings.SecretKey) ? null : settings.SecretKey,
                httpClient: http,
                apiBase: settings.ApiBase.OriginalString.TrimEnd('/'));
        });
        services.TryAddSingleton<StripePaymentGateway>();
        services.TryAddSingleton<StripeWebhookReceiver>();

        if (StripeOptionsValidator.IsStripeSelected(configuration))
        {
            services.AddSingleton<IPaymentGateway>(provider => provider.GetRequiredService<StripePaymentGateway>());
        }

        return services;
    }
}
