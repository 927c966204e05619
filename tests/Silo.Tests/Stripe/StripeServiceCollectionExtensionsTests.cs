using Courier.Grains.Payments;
using Courier.Silo.Adapters.Stripe;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeServiceCollectionExtensionsTests
{
    [Fact]
    public void AddStripePayments_StripeSelectedWithoutKeys_FailsSayingWhatToSet()
    {
        using var services = StripeServices.Build(new() { ["Payments:Provider"] = "Stripe" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StripeOptions>>().Value);

        Assert.Contains(error.Failures, failure => failure.Contains("Stripe__SecretKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("Stripe:WebhookSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void AddStripePayments_PublishableKeyGiven_FailsSayingToUseTheSecretKey()
    {
        using var services = StripeServices.Build(new()
        {
            ["Payments:Provider"] = "stripe",
            ["Stripe:SecretKey"] = "pk_test_123",
            ["Stripe:WebhookSecret"] = "whsec_1",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StripeOptions>>().Value);

        Assert.Contains("publishable key", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddStripePayments_SimulatedProviderWithoutKeys_StartsWithoutStripeAsGateway()
    {
        using var services = StripeServices.Build(new() { ["Payments:Provider"] = "Simulated" });

        var options = services.GetRequiredService<IOptions<StripeOptions>>().Value;

        Assert.Equal(new Uri("https://api.stripe.com"), options.ApiBase);
        Assert.Null(services.GetService<IPaymentGateway>());
        Assert.NotNull(services.GetService<StripeWebhookReceiver>());
    }

    [Fact]
    public void AddStripePayments_StripeSelected_BindsSettingsAndMakesStripeTheGateway()
    {
        using var services = StripeServices.Build(new()
        {
            ["Payments:Provider"] = "Stripe",
            ["Stripe:SecretKey"] = "sk_test_123",
            ["Stripe:WebhookSecret"] = "whsec_1",
            ["Stripe:ApiBase"] = "http://127.0.0.1:12111",
            ["Stripe:Timeout"] = "00:00:10",
            ["Stripe:MaxRetries"] = "4",
        });

        var options = services.GetRequiredService<IOptions<StripeOptions>>().Value;

        Assert.Equal(new Uri("http://127.0.0.1:12111"), options.ApiBase);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(4, options.MaxRetries);
        Assert.IsType<StripePaymentGateway>(services.GetRequiredService<IPaymentGateway>());
        var stripe = services.GetRequiredService<global::Stripe.StripeClient>();
        Assert.Equal("http://127.0.0.1:12111", stripe.ApiBase);
        Assert.Equal(4, Assert.IsType<global::Stripe.SystemNetHttpClient>(stripe.HttpClient).MaxNetworkRetries);
    }

    [Fact]
    public void AddStripePayments_NegativeRetriesAndRelativeApiBase_FailsNamingBothSettings()
    {
        using var services = StripeServices.Build(new()
        {
            ["Stripe:ApiBase"] = "/stripe",
            ["Stripe:MaxRetries"] = "-1",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StripeOptions>>().Value);

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, failure => failure.StartsWith("Stripe:ApiBase", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("Stripe:MaxRetries", StringComparison.Ordinal));
    }
}
