using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Abstractions.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;
using Stripe;

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

        var paymentEvent = StripeEvents.ToPaymentEvent(Parse(type, session));

        Assert.Equal(
            new PaymentEvent("evt_test_1", expected, At, "ord_42", "cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY",
                "pi_1PgafyB7WZ01zgkWSjxsAJo3", 9800, "usd", null),
            paymentEvent);
    }

    [Fact]
    public void ToPaymentEvent_CompletedSessionWithOrderOnlyInMetadata_FindsTheOrderThere()
    {
        var session = StripeFixtures.Resource("checkout.session");
        session["metadata"] = new JsonObject { ["order_id"] = "ord_9" };

        var paymentEvent = StripeEvents.ToPaymentEvent(Parse(EventTypes.CheckoutSessionCompleted, session));

        Assert.Equal("ord_9", paymentEvent?.OrderId);
        Assert.Equal(PaymentEventKind.AwaitingPayment, paymentEvent?.Kind);
        Assert.Equal("pi_1PgafyB7WZ01zgkWSjxsAJo3", paymentEvent?.PaymentIntentId);
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

        var paymentEvent = StripeEvents.ToPaymentEvent(Parse(EventTypes.PaymentIntentPaymentFailed, intent));

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

        var stripeEvent = Parse(EventTypes.ChargeRefunded, charge);

        Assert.Equal(
            new PaymentEvent("evt_test_1", PaymentEventKind.Refunded, At, null, null, "pi_123", 60, "usd", null),
            StripeEvents.ToPaymentEvent(stripeEvent));
        Assert.Equal(60, Assert.Single(Assert.IsType<Charge>(stripeEvent.Data.Object).Refunds.Data).Amount);
    }

    [Fact]
    public void ToPaymentEvent_DisputeCreated_CarriesAmountAndReason()
    {
        var dispute = StripeFixtures.Resource("dispute");
        dispute["payment_intent"] = "pi_123";

        var stripeEvent = Parse(EventTypes.ChargeDisputeCreated, dispute);

        Assert.Equal(
            new PaymentEvent("evt_test_1", PaymentEventKind.Disputed, At, null, null, "pi_123", 1000, "usd", "general"),
            StripeEvents.ToPaymentEvent(stripeEvent));
        Assert.Equal("ch_1PgafuB7WZ01zgkWXYmPNZs8", Assert.IsType<Dispute>(stripeEvent.Data.Object).ChargeId);
    }

    [Fact]
    public void ToPaymentEvent_SessionEventCarryingAnotherObject_SaysWhichObjectTheEventCarries()
    {
        var stripeEvent = Parse(EventTypes.CheckoutSessionCompleted, StripeFixtures.Resource("charge"));

        var error = Assert.Throws<JsonException>(() => StripeEvents.ToPaymentEvent(stripeEvent));

        Assert.Contains("carries a 'charge' object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPaymentEvent_SessionWithoutTheStatusStripeAlwaysSends_IsRejectedNamingTheField()
    {
        var session = StripeFixtures.Resource("checkout.session");
        session.Remove("status");

        var error = Assert.Throws<JsonException>(() => StripeEvents.ToPaymentEvent(Parse(EventTypes.CheckoutSessionCompleted, session)));

        Assert.Contains("evt_test_1", error.Message, StringComparison.Ordinal);
        Assert.Contains("without 'status'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandledTypes_TypesCheckoutSubscribesTo_AreHandledOthersNot()
    {
        Assert.Contains(EventTypes.ChargeDisputeCreated, StripeEvents.HandledTypes);
        Assert.DoesNotContain("customer.created", StripeEvents.HandledTypes);
        Assert.Null(StripeEvents.ToPaymentEvent(Parse("customer.created", StripeFixtures.Resource("customer"))));
    }

    private static Event Parse(string type, JsonObject dataObject) =>
        StripeWebhookReceiver.Parse(StripeFixtures.Event(type, dataObject, "evt_test_1", At.ToUnixTimeSeconds()).ToJsonString());
}
