using Courier.Silo.Adapters.Payments;
using Courier.Silo.Adapters.SimulatedPayments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Tests.Commerce;

/// <summary>
/// A shop whose simulated provider takes payments but whose webhooks never get through: they are
/// signed with a secret the endpoint does not know, so every delivery attempt is refused.
/// </summary>
public sealed class LostWebhookFactory : CourierWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(sp => new DeliverSimulatedWebhookHandler(
            sp.GetRequiredService<PaymentWebhookIngress>(),
            Options.Create(new StripeOptions { WebhookSecret = "whsec_lost_in_transit" }),
            TimeProvider.System)));
    }
}

public sealed class ReconciliationTests(LostWebhookFactory factory) : IClassFixture<LostWebhookFactory>
{
    [Fact]
    public async Task Lost_webhook_is_recovered_by_reconciliation_against_the_provider()
    {
        await factory.SeedProductAsync("prod_recon_lost", 1300);
        var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_recon_lost");
        var (orderId, redirect) = await shopper.CheckoutAsync();

        // The provider takes the payment; its webhook is refused on arrival, so the order hears nothing.
        await factory.Grains().GetGrain<ISimulatedPaymentGrain>(redirect["/pay/".Length..]).PayAsync("4242424242424242");
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM outbox WHERE message_type LIKE '%DeliverSimulatedWebhook' AND attempts > 0") > 0);
        Assert.Equal("pendingPayment", (await shopper.OrderAsync(orderId)).GetProperty("order").GetProperty("status").GetString());

        // The order's payment deadline passes: its reminder asks the provider.
        await factory.Database.ExecuteAsync($"UPDATE reminders SET due_at = now() WHERE grain_key = '{orderId}' AND name = 'payment-deadline'");
        await factory.FireDueRemindersAsync();

        var order = await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
        Assert.Contains(order.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "OrderStepped"
            && e.GetProperty("data").GetProperty("to").GetString() == "Paid");
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM mailbox WHERE order_id = $1 AND kind = 'receipt'", orderId) == 1);
    }
}
