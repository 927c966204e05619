using Courier.Abstractions.Payments;
using Courier.Grains.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeWebhookReceiverTests : IDisposable
{
    private readonly ServiceProvider services = StripeServices.Build(new()
    {
        ["Payments:Provider"] = "Simulated",
        ["Stripe:WebhookSecret"] = StripeServices.WebhookSecret,
    });

    private StripeWebhookReceiver Receiver => services.GetRequiredService<StripeWebhookReceiver>();

    public void Dispose() => services.Dispose();

    [Fact]
    public void Receive_SignedCompletedSession_ReturnsThePaidEvent()
    {
        var session = StripeFixtures.Resource("checkout.session");
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["client_reference_id"] = "ord_55";
        var body = StripeFixtures.Event(StripeEvent.CheckoutSessionCompleted, session, "evt_55").ToJsonString();

        var stripeEvent = Receiver.Receive(StripeSignature.Sign(body, StripeServices.WebhookSecret, DateTimeOffset.UtcNow), body);

        Assert.Equal("evt_55", stripeEvent.Id);
        Assert.Equal(PaymentEventKind.Paid, stripeEvent.ToPaymentEvent()?.Kind);
        Assert.Equal("ord_55", stripeEvent.ToPaymentEvent()?.OrderId);
    }

    [Fact]
    public void Receive_SignedWithAnotherSecret_IsRejectedWithTheReason()
    {
        var body = StripeFixtures.ResourceJson("event");

        var error = Assert.Throws<StripeWebhookRejectedException>(
            () => Receiver.Receive(StripeSignature.Sign(body, "whsec_other", DateTimeOffset.UtcNow), body));

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, error.Failure);
    }

    [Fact]
    public void Receive_NoSignatureHeader_IsRejected()
    {
        var error = Assert.Throws<StripeWebhookRejectedException>(() => Receiver.Receive(null, StripeFixtures.ResourceJson("event")));

        Assert.Equal(StripeSignatureFailure.MissingHeader, error.Failure);
    }

    [Fact]
    public void Receive_SignedBodyThatIsNotAnEvent_IsRejected()
    {
        var body = StripeFixtures.ResourceJson("refund");

        var error = Assert.Throws<StripeWebhookRejectedException>(
            () => Receiver.Receive(StripeSignature.Sign(body, StripeServices.WebhookSecret, DateTimeOffset.UtcNow), body));

        Assert.Contains("not a Stripe event", error.Message, StringComparison.Ordinal);
    }
}
