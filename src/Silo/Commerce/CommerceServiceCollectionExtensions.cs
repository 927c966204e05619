using Courier.Grains.Mail;
using Courier.Grains.Orders;
using Courier.Grains.Payments;
using Courier.Silo.Adapters.Mail;
using Courier.Silo.Adapters.Payments;
using Courier.Silo.Adapters.SimulatedPayments;
using Courier.Silo.Adapters.Stripe;
using Courier.Silo.Commerce.Demo;
using Courier.Silo.Deliveries;
using Courier.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Courier.Silo.Commerce;

public static class CommerceServiceCollectionExtensions
{
    /// <summary>Demo-only signing secret of the simulated provider's webhooks, used when none is configured.</summary>
    internal const string SimulatedWebhookSecret = "whsec_courier_simulated_payments_demo_only";

    /// <summary>
    /// Catalog, carts, orders, payments and deliveries: read models, outbox handlers, mail, and the payment
    /// provider chosen by Payments:Provider (Simulated by default, or Stripe). The embedded run
    /// (Courier:Embedded) also seeds the demo store; call this after AddCourierSilo.
    /// </summary>
    public static IServiceCollection AddCourierCommerce(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReadModelWriter<CatalogRowWriter>();
        services.AddReadModelWriter<OrderRowWriter>();
        services.AddReadModelWriter<PaymentEventRowWriter>();
        services.AddReadModelWriter<SimulatedEventRowWriter>();

        services.AddStripePayments(configuration);
        if (!StripeOptionsValidator.IsStripeSelected(configuration))
        {
            services.TryAddSingleton<SimulatedPaymentGateway>();
            services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<SimulatedPaymentGateway>());
            services.PostConfigure<StripeOptions>(o => o.WebhookSecret = string.IsNullOrEmpty(o.WebhookSecret) ? SimulatedWebhookSecret : o.WebhookSecret);
            services.AddOutboxHandler<DeliverSimulatedWebhook, DeliverSimulatedWebhookHandler>();
        }
        services.TryAddSingleton<PaymentWebhookIngress>();
        services.TryAddSingleton<CatalogReadModel>();
        services.TryAddSingleton(sp => new OrdersReadModel(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<Courier.Silo.Storage.IGrainStore>()));
        services.AddOutboxHandler<ApplyPaymentEvent, ApplyPaymentEventHandler>();
        services.AddOutboxHandler<ReconcilePayment, ReconcilePaymentHandler>();
        services.AddOutboxHandler<EmptyCheckedOutCart, EmptyCheckedOutCartHandler>();
        services.AddOutboxHandler<Courier.Grains.Carts.ClearMergedCart, ClearMergedCartHandler>();

        services.AddMail(configuration);
        services.AddOutboxHandler<SendEmail, SendEmailHandler>();
        services.TryAddSingleton<Courier.Silo.Accounts.PasswordResetLinks>();
        services.AddOutboxHandler<Courier.Grains.Accounts.SendPasswordResetEmail, Courier.Silo.Accounts.SendPasswordResetEmailHandler>();

        services.AddCourierDeliveries(configuration);

        if (configuration.GetValue<bool>("Courier:Embedded")) services.AddDemoCatalog(configuration);
        return services;
    }
}
