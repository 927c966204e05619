using Courier.Abstractions.Payments;
using System.Text.Json;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeObjectParsingTests
{
    [Fact]
    public void CheckoutSession_StripeExample_ReadsWhatCheckoutNeeds()
    {
        var session = StripeJson.Deserialize<StripeCheckoutSession>(StripeFixtures.ResourceJson("checkout.session"));

        Assert.Equal("cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY", session.Id);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Equal("pi_1PgafyB7WZ01zgkWSjxsAJo3", session.PaymentIntent);
        Assert.Equal(new Uri("https://checkout.stripe.com/pay/c/cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY"), session.Url);
        Assert.Equal(1234567890, session.ExpiresAt);
        Assert.Null(session.AmountTotal);
        Assert.Null(session.Currency);
        Assert.Null(session.OrderId);
        Assert.Empty(session.Metadata!);
        Assert.False(session.Livemode);
    }

    [Fact]
    public void CheckoutSession_OrderIdOnlyInMetadata_IsFoundThere()
    {
        var json = StripeFixtures.Resource("checkout.session");
        json["metadata"] = new System.Text.Json.Nodes.JsonObject { ["order_id"] = "ord_7" };

        var session = StripeJson.Deserialize<StripeCheckoutSession>(json.ToJsonString());

        Assert.Equal("ord_7", session.OrderId);
    }

    [Fact]
    public void CheckoutSession_IdSentAsNull_IsRejectedInsteadOfReadAsMissing()
    {
        var json = StripeFixtures.Resource("checkout.session");
        json["id"] = null;

        Assert.Throws<JsonException>(() => StripeJson.Deserialize<StripeCheckoutSession>(json.ToJsonString()));
    }

    [Fact]
    public void Refund_StripeExample_ReadsAmountCurrencyAndStatus()
    {
        var refund = StripeJson.Deserialize<StripeRefund>(StripeFixtures.ResourceJson("refund"));

        Assert.Equal("re_1Pgc72B7WZ01zgkWqPvrRrPE", refund.Id);
        Assert.Equal(100, refund.Amount);
        Assert.Equal("usd", refund.Currency);
        Assert.Equal("succeeded", refund.Status);
        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", refund.Charge);
        Assert.Null(refund.PaymentIntent);
    }

    [Fact]
    public void PaymentIntent_StripeExample_ReadsAmountStatusAndLastError()
    {
        var intent = StripeJson.Deserialize<StripePaymentIntent>(StripeFixtures.ResourceJson("payment_intent"));

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
        var charge = StripeJson.Deserialize<StripeCharge>(StripeFixtures.ResourceJson("charge"));

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

        var charge = StripeJson.Deserialize<StripeCharge>(json.ToJsonString());

        Assert.Null(charge.Refunds);
        Assert.Equal(100, charge.Amount);
    }

    [Fact]
    public void Dispute_StripeExample_ReadsChargeAmountAndReason()
    {
        var dispute = StripeJson.Deserialize<StripeDispute>(StripeFixtures.ResourceJson("dispute"));

        Assert.Equal("dp_1Pgc71B7WZ01zgkWMevJiAUx", dispute.Id);
        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", dispute.Charge);
        Assert.Equal(1000, dispute.Amount);
        Assert.Equal("usd", dispute.Currency);
        Assert.Equal("general", dispute.Reason);
        Assert.Equal("warning_needs_response", dispute.Status);
        Assert.Null(dispute.PaymentIntent);
    }

    [Fact]
    public void Event_StripeExample_ReadsEnvelopeAndKeepsTheObject()
    {
        var stripeEvent = StripeEvent.Parse(StripeFixtures.ResourceJson("event"));

        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", stripeEvent.Id);
        Assert.Equal("plan.created", stripeEvent.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1234567890), stripeEvent.Created);
        Assert.False(stripeEvent.Livemode);
        Assert.Null(stripeEvent.ApiVersion);
        Assert.Equal("price_1PgafmB7WZ01zgkW6dKueIc5", stripeEvent.Object.GetProperty("id").GetString());
        Assert.False(stripeEvent.IsHandled);
        Assert.Null(stripeEvent.ToPaymentEvent());
    }

    [Fact]
    public void Event_ParseOfAnotherObject_IsRejected()
    {
        var error = Assert.Throws<JsonException>(() => StripeEvent.Parse(StripeFixtures.ResourceJson("dispute")));

        Assert.Contains("'event'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorBody_CardDecline_ReadsTypeCodesAndMessage()
    {
        const string body = """{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","param":"","doc_url":"https://stripe.com/docs/error-codes/card-declined"}}""";

        var error = StripeJson.Deserialize<StripeErrorBody>(body).Error;

        Assert.Equal("card_error", error?.Type);
        Assert.Equal("card_declined", error?.Code);
        Assert.Equal("insufficient_funds", error?.DeclineCode);
        Assert.Equal("Your card has insufficient funds.", error?.Message);
    }
}
