using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Courier.Silo.Tests.Stripe;

/// <summary>Stripe's own example objects (fixtures3.json) read the way Stripe.net reads Stripe's answers, and what Courier takes from them.</summary>
public sealed class StripeObjectParsingTests
{
    [Fact]
    public void CheckoutSession_StripeExample_ReadsWhatCheckoutNeeds()
    {
        var session = Read<Session>(StripeFixtures.ResourceJson("checkout.session"));

        Assert.Equal("cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY", session.Id);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Equal("pi_1PgafyB7WZ01zgkWSjxsAJo3", session.PaymentIntentId);
        Assert.Equal("https://checkout.stripe.com/pay/c/cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY", session.Url);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1234567890).UtcDateTime, session.ExpiresAt);
        Assert.Null(session.AmountTotal);
        Assert.Null(session.Currency);
        Assert.Null(StripeEvents.OrderId(session));
        Assert.Empty(session.Metadata);
        Assert.False(session.Livemode);
    }

    [Fact]
    public void CheckoutSession_OrderIdOnlyInMetadata_IsFoundThere()
    {
        var json = StripeFixtures.Resource("checkout.session");
        json["metadata"] = new JsonObject { ["order_id"] = "ord_7" };

        var session = Read<Session>(json.ToJsonString());

        Assert.Equal("ord_7", StripeEvents.OrderId(session));
    }

    [Fact]
    public void Refund_StripeExample_ReadsAmountCurrencyAndStatus()
    {
        var refund = Read<Refund>(StripeFixtures.ResourceJson("refund"));

        Assert.Equal("re_1Pgc72B7WZ01zgkWqPvrRrPE", refund.Id);
        Assert.Equal(100, refund.Amount);
        Assert.Equal("usd", refund.Currency);
        Assert.Equal("succeeded", refund.Status);
        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", refund.ChargeId);
        Assert.Null(refund.PaymentIntentId);
    }

    [Fact]
    public void PaymentIntent_StripeExample_ReadsAmountStatusAndLastError()
    {
        var intent = Read<PaymentIntent>(StripeFixtures.ResourceJson("payment_intent"));

        Assert.Equal("pi_1PgafyB7WZ01zgkWSjxsAJo3", intent.Id);
        Assert.Equal(1099, intent.Amount);
        Assert.Equal("usd", intent.Currency);
        Assert.Equal("requires_payment_method", intent.Status);
        Assert.Equal("idempotency_error", intent.LastPaymentError?.Type);
        Assert.Null(intent.LastPaymentError?.Message);
    }

    [Fact]
    public void Charge_StripeExample_ReadsAmountsAndRefundList()
    {
        var charge = Read<Charge>(StripeFixtures.ResourceJson("charge"));

        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", charge.Id);
        Assert.Equal(100, charge.Amount);
        Assert.Equal(0, charge.AmountRefunded);
        Assert.False(charge.Refunded);
        Assert.Equal("usd", charge.Currency);
        Assert.Equal("succeeded", charge.Status);
        Assert.NotNull(charge.Refunds);
        Assert.Empty(charge.Refunds.Data);
        Assert.False(charge.Refunds.HasMore);
    }

    [Fact]
    public void Charge_WithoutExpandedRefunds_ReadsWithNoRefundList()
    {
        var json = StripeFixtures.Resource("charge");
        json.Remove("refunds");

        var charge = Read<Charge>(json.ToJsonString());

        Assert.Null(charge.Refunds);
        Assert.Equal(100, charge.Amount);
    }

    [Fact]
    public void Dispute_StripeExample_ReadsChargeAmountAndReason()
    {
        var dispute = Read<Dispute>(StripeFixtures.ResourceJson("dispute"));

        Assert.Equal("dp_1Pgc71B7WZ01zgkWMevJiAUx", dispute.Id);
        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", dispute.ChargeId);
        Assert.Equal(1000, dispute.Amount);
        Assert.Equal("usd", dispute.Currency);
        Assert.Equal("general", dispute.Reason);
        Assert.Equal("warning_needs_response", dispute.Status);
        Assert.Null(dispute.PaymentIntentId);
    }

    [Fact]
    public void Event_StripeExample_ReadsEnvelopeAndKeepsTheObject()
    {
        var stripeEvent = StripeWebhookReceiver.Parse(StripeFixtures.ResourceJson("event"));

        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", stripeEvent.Id);
        Assert.Equal("plan.created", stripeEvent.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1234567890).UtcDateTime, stripeEvent.Created);
        Assert.False(stripeEvent.Livemode);
        Assert.Null(stripeEvent.ApiVersion);
        Assert.Equal("price_1PgafmB7WZ01zgkW6dKueIc5", Assert.IsAssignableFrom<IHasId>(stripeEvent.Data.Object).Id);
        Assert.DoesNotContain(stripeEvent.Type, StripeEvents.HandledTypes);
        Assert.Null(StripeEvents.ToPaymentEvent(stripeEvent));
    }

    [Fact]
    public void Event_ParseOfAnotherObject_IsRejected()
    {
        var error = Assert.Throws<StripeWebhookRejectedException>(() => StripeWebhookReceiver.Parse(StripeFixtures.ResourceJson("dispute")));

        Assert.Contains("'event'", error.Message, StringComparison.Ordinal);
    }

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, StripeConfiguration.SerializerOptions) ?? throw new JsonException($"Stripe.net read null from {json}");
}
