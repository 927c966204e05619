using Courier.Abstractions.Payments;
using System.Text.Json.Nodes;
using Courier.Grains.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeEventTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);

    [Theory]
    [InlineData("checkout.session.completed", "complete", "paid", PaymentEventKind.Paid)]
    [InlineData("checkout.session.completed", "complete", "no_payment_required", PaymentEventKind.Paid)]
    [InlineData("checkout.session.completed", "complete", "unpaid", PaymentEventKind.AwaitingPayment)]
    [InlineData("checkout.session.async_payment_succeeded", "complete", "paid", PaymentEventKind.Paid)]
    [InlineData("checkout.session.async_payment_failed", "complete", "unpaid", PaymentEventKind.PaymentFailed)]
    [InlineData("checkout.session.expired", "expired", "unpaid", PaymentEventKind.SessionExpired)]
    public void ToPaymentEvent_CheckoutSessionEvents_TellWhatHappenedToTheOrder(string type, string status, string paymentStatus, PaymentEventKind expected)
    {
        var session = StripeFixtures.Resource("checkout.session");
        session["status"] = status;
        session["payment_status"] = paymentStatus;
        session["client_reference_id"] = "ord_42";
        session["amount_total"] = 9800;
        session["currency"] = "usd";

        var paymentEvent = Parse(type, session).ToPaymentEvent();

        Assert.Equal(
            new PaymentEvent("evt_test_1", expected, At, "ord_42", "cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY",
                "pi_1PgafyB7WZ01zgkWSjxsAJo3", 9800, "usd", null),
            paymentEvent);
    }

    [Fact]
    public void CheckoutSession_OfCompletedEvent_ReadsSessionFields()
    {
        var session = StripeFixtures.Resource("checkout.session");
        session["metadata"] = new JsonObject { ["order_id"] = "ord_9" };

        var read = Parse(StripeEvent.CheckoutSessionCompleted, session).CheckoutSession;

        Assert.Equal("ord_9", read.OrderId);
        Assert.Equal("unpaid", read.PaymentStatus);
        Assert.Equal("pi_1PgafyB7WZ01zgkWSjxsAJo3", read.PaymentIntent);
    }

    [Fact]
    public void ToPaymentEvent_PaymentIntentFailed_CarriesOrderAndDeclineMessage()
    {
        var intent = StripeFixtures.Resource("payment_intent");
        intent["metadata"] = new JsonObject { ["order_id"] = "ord_42" };
        intent["last_payment_error"] = new JsonObject
        {
            ["type"] = "card_error",
            ["code"] = "card_declined",
            ["decline_code"] = "generic_decline",
            ["message"] = "Your card was declined.",
        };

        var paymentEvent = Parse(StripeEvent.PaymentIntentPaymentFailed, intent).ToPaymentEvent();

        Assert.Equal(
            new PaymentEvent("evt_test_1", PaymentEventKind.PaymentAttemptFailed, At, "ord_42", null, "pi_1PgafyB7WZ01zgkWSjxsAJo3", 1099, "usd", "Your card was declined."),
            paymentEvent);
    }

    [Fact]
    public void ToPaymentEvent_ChargeRefunded_CarriesTotalRefundedAndPaymentIntent()
    {
        var charge = StripeFixtures.Resource("charge");
        charge["payment_intent"] = "pi_123";
        charge["amount_refunded"] = 60;
        charge["refunded"] = false;
        var refund = StripeFixtures.Resource("refund");
        refund["amount"] = 60;
        charge["refunds"]!["data"] = new JsonArray(refund);

        var stripeEvent = Parse(StripeEvent.ChargeRefunded, charge);

        Assert.Equal(
            new PaymentEvent("evt_test_1", PaymentEventKind.Refunded, At, null, null, "pi_123", 60, "usd", null),
            stripeEvent.ToPaymentEvent());
        Assert.Equal(60, Assert.Single(stripeEvent.Charge.Refunds!.Data).Amount);
    }

    [Fact]
    public void ToPaymentEvent_DisputeCreated_CarriesAmountAndReason()
    {
        var dispute = StripeFixtures.Resource("dispute");
        dispute["payment_intent"] = "pi_123";

        var stripeEvent = Parse(StripeEvent.ChargeDisputeCreated, dispute);

        Assert.Equal(
            new PaymentEvent("evt_test_1", PaymentEventKind.Disputed, At, null, null, "pi_123", 1000, "usd", "general"),
            stripeEvent.ToPaymentEvent());
        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", stripeEvent.Dispute.Charge);
    }

    [Fact]
    public void Accessor_ForAnotherObjectType_SaysWhichObjectTheEventCarries()
    {
        var stripeEvent = Parse(StripeEvent.ChargeRefunded, StripeFixtures.Resource("charge"));

        var error = Assert.Throws<InvalidOperationException>(() => stripeEvent.CheckoutSession);

        Assert.Contains("carries a 'charge' object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsHandled_TypesCheckoutSubscribesTo_AreHandledOthersNot()
    {
        Assert.True(Parse(StripeEvent.ChargeDisputeCreated, StripeFixtures.Resource("dispute")).IsHandled);
        Assert.False(Parse("customer.created", StripeFixtures.Resource("customer")).IsHandled);
        Assert.Null(Parse("customer.created", StripeFixtures.Resource("customer")).ToPaymentEvent());
    }

    private static StripeEvent Parse(string type, JsonObject dataObject) =>
        StripeEvent.Parse(StripeFixtures.Event(type, dataObject, "evt_test_1", At.ToUnixTimeSeconds()).ToJsonString());
}
