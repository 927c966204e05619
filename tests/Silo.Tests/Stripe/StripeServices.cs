using Courier.Grains.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Stripe;

/// <summary>The Stripe adapter wired the way the host wires it (AddStripePayments), pointed at a <see cref="FakeStripeApi"/>.</summary>
internal static class StripeServices
{
    public const string WebhookSecret = "whsec_test_courier";

    public static ServiceProvider For(FakeStripeApi fake, params (string Key, string? Value)[] overrides) =>
        Build(new Dictionary<string, string?>
        {
            ["Payments:Provider"] = "Stripe",
            ["Stripe:ApiBase"] = fake.BaseAddress.ToString(),
            ["Stripe:SecretKey"] = FakeStripeApi.SecretKey,
            ["Stripe:WebhookSecret"] = WebhookSecret,
            ["Stripe:MaxRetries"] = "2",
            ["Stripe:Timeout"] = "00:00:05",
        }, overrides);

    public static ServiceProvider Build(Dictionary<string, string?> settings, params (string Key, string? Value)[] overrides)
    {
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStripePayments(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static IPaymentGateway Gateway(this ServiceProvider services) => services.GetRequiredService<IPaymentGateway>();
}
