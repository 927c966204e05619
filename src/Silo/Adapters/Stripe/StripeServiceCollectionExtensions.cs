using Courier.Grains.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Adapters.Stripe;

internal static class StripeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Stripe adapter: options from the "Stripe" section (validated at start-up), the
    /// client, the webhook receiver, and — when <c>Payments:Provider=Stripe</c> — Stripe as the
    /// <see cref="IPaymentGateway"/>. The webhook receiver is registered either way: the simulated
    /// provider signs its webhooks the same way.
    /// </summary>
    public static IServiceCollection AddStripePayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeOptions>>(new StripeOptionsValidator(configuration)));
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(StripeClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<StripeClient>();
        services.TryAddSingleton<StripePaymentGateway>();
        services.TryAddSingleton<StripeWebhookReceiver>();

        if (StripeOptionsValidator.IsStripeSelected(configuration))
        {
            services.AddSingleton<IPaymentGateway>(provider => provider.GetRequiredService<StripePaymentGateway>());
        }

        return services;
    }
}
