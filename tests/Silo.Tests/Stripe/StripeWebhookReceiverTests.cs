using Courier.Abstractions.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeWebhookReceiverTests : IDisposable
{
    private static readonly string Payload = StripeFixtures.ResourceJson("event");

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
        var body = StripeFixtures.Event(EventTypes.CheckoutSessionCompleted, session, "evt_55").ToJsonString();

        var stripeEvent = Receiver.Receive(Sign(body, StripeServices.WebhookSecret, DateTimeOffset.UtcNow), body);

        Assert.Equal("evt_55", stripeEvent.Id);
        Assert.Equal(PaymentEventKind.Paid, StripeEvents.ToPaymentEvent(stripeEvent)?.Kind);
        Assert.Equal("ord_55", StripeEvents.ToPaymentEvent(stripeEvent)?.OrderId);
    }

    [Fact]
    public void Receive_SignedWithAnotherSecret_IsRejectedWithTheReason()
    {
        var error = Assert.Throws<StripeWebhookRejectedException>(
            () => Receiver.Receive(Sign(Payload, "whsec_other", DateTimeOffset.UtcNow), Payload));

        Assert.Contains("expected signature was not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("Stripe:WebhookSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_TamperedBody_IsRejected()
    {
        var header = Sign(Payload, StripeServices.WebhookSecret, DateTimeOffset.UtcNow);
        var tampered = Payload.Replace("\"livemode\":false", "\"livemode\":true", StringComparison.Ordinal);

        var error = Assert.Throws<StripeWebhookRejectedException>(() => Receiver.Receive(header, tampered));

        Assert.NotEqual(Payload, tampered);
        Assert.Contains("expected signature was not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(10)]
    public void Receive_SignedTenMinutesAwayFromNow_IsOutsideTheTolerance(int minutes)
    {
        var header = Sign(Payload, StripeServices.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(minutes));

        var error = Assert.Throws<StripeWebhookRejectedException>(() => Receiver.Receive(header, Payload));

        Assert.Contains("outside of the allowed tolerance", error.Message, StringComparison.Ordinal);
        Assert.Contains("clock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_TenMinutesOldWithFifteenMinuteTolerance_IsAccepted()
    {
        using var lenient = StripeServices.Build(new()
        {
            ["Stripe:WebhookSecret"] = StripeServices.WebhookSecret,
            ["Stripe:WebhookTolerance"] = "00:15:00",
        });
        var header = Sign(Payload, StripeServices.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-10));

        var stripeEvent = lenient.GetRequiredService<StripeWebhookReceiver>().Receive(header, Payload);

        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", stripeEvent.Id);
    }

    [Fact]
    public void Receive_SeveralV1SignaturesWhileTheSecretRolls_AcceptsTheOneThatMatches()
    {
        var now = DateTimeOffset.UtcNow;
        var good = Sign(Payload, StripeServices.WebhookSecret, now);
        var old = Sign(Payload, "whsec_old_secret", now);
        var header = $"t={now.ToUnixTimeSeconds()},v1={V1(old)},v1={new string('0', 64)},v1={V1(good)},"
            + "v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

        var stripeEvent = Receiver.Receive(header, Payload);

        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", stripeEvent.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("v1=abc")]
    [InlineData("t=soon,v1=abc")]
    [InlineData("t=1760000000,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39")]
    [InlineData("t=1760000000")]
    [InlineData("not a signature")]
    public void Receive_MalformedSignatureHeader_IsRejectedWithAReason(string? header)
    {
        var error = Assert.Throws<StripeWebhookRejectedException>(() => Receiver.Receive(header, Payload));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Receive_NoSignatureHeader_IsRejected()
    {
        var error = Assert.Throws<StripeWebhookRejectedException>(() => Receiver.Receive(null, Payload));

        Assert.Contains("no Stripe-Signature header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_SignedBodyThatIsNotAnEvent_IsRejected()
    {
        var body = StripeFixtures.ResourceJson("refund");

        var error = Assert.Throws<StripeWebhookRejectedException>(
            () => Receiver.Receive(Sign(body, StripeServices.WebhookSecret, DateTimeOffset.UtcNow), body));

        Assert.Contains("not a Stripe event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_SignedBodyThatIsNotJson_IsRejected()
    {
        const string body = "<html>not json</html>";

        var error = Assert.Throws<StripeWebhookRejectedException>(
            () => Receiver.Receive(Sign(body, StripeServices.WebhookSecret, DateTimeOffset.UtcNow), body));

        Assert.Contains("not a Stripe event", error.Message, StringComparison.Ordinal);
    }

    private static string Sign(string body, string secret, DateTimeOffset at) =>
        EventUtility.GenerateSignatureHeader(body, secret, at.ToUnixTimeSeconds());

    private static string V1(string header) => header[(header.IndexOf("v1=", StringComparison.Ordinal) + 3)..];
}
