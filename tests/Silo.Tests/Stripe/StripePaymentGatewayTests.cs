using Courier.Abstractions.Payments;
using Courier.Grains.Payments;
using Courier.TestSupport.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripePaymentGatewayTests : IAsyncLifetime
{
    private FakeStripeApi fake = null!;
    private ServiceProvider services = null!;

    private IPaymentGateway Gateway => services.GetRequiredService<IPaymentGateway>();

    public async Task InitializeAsync()
    {
        fake = await FakeStripeApi.StartAsync();
        services = StripeServices.For(fake);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await fake.DisposeAsync();
    }

    [Fact]
    public async Task Checkout_OpenPayThenRefundPart_GatewayReportsEachStep()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var request = SessionRequest("ord_100");

        var opened = await Gateway.OpenSessionAsync(request, CancellationToken.None);
        var beforePaying = await Gateway.GetSessionStatusAsync(opened.SessionId, CancellationToken.None);
        var paymentIntent = fake.PayCheckoutSession(opened.SessionId);
        var afterPaying = await Gateway.GetSessionStatusAsync(opened.SessionId, CancellationToken.None);
        var refundRequest = new RefundRequest(paymentIntent, 1500, "refund:ord_100:1", "ord_100", "damaged file");
        var refund = await Gateway.RefundAsync(refundRequest, CancellationToken.None);
        var refundRetried = await Gateway.RefundAsync(refundRequest, CancellationToken.None);
        var events = await Gateway.ListEventsSinceAsync(since, CancellationToken.None);

        Assert.Equal($"https://checkout.stripe.com/c/pay/{opened.SessionId}", opened.RedirectUrl.ToString());
        Assert.Equal(request.ExpiresAt.ToUnixTimeSeconds(), opened.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(new PaymentSessionStatus(opened.SessionId, PaymentSessionState.Open, "ord_100", null, 10300, "usd"), beforePaying);
        Assert.Equal(new PaymentSessionStatus(opened.SessionId, PaymentSessionState.Paid, "ord_100", paymentIntent, 10300, "usd"), afterPaying);
        Assert.Equal(new PaymentRefund(refund.RefundId, 1500, "usd", RefundState.Succeeded), refund);
        Assert.Equal(refund, refundRetried);
        Assert.Equal(
            [(PaymentEventKind.Paid, "ord_100", paymentIntent, 10300L), (PaymentEventKind.Refunded, (string?)null, paymentIntent, 1500L)],
            events.Select(e => (e.Kind, e.OrderId, e.PaymentIntentId, e.Amount!.Value)));
    }

    [Fact]
    public async Task OpenSession_Request_IsSentAsAStripePaymentModeSession()
    {
        var request = SessionRequest("ord_101");

        await Gateway.OpenSessionAsync(request, CancellationToken.None);

        var sent = Assert.Single(fake.Requests);
        Assert.Equal("checkout:ord_101:1", sent.Header("Idempotency-Key"));
        Assert.Equal("payment", sent.Form["mode"]);
        Assert.Equal("ord_101", sent.Form["client_reference_id"]);
        Assert.Equal("ord_101", sent.Form["metadata[order_id]"]);
        Assert.Equal("ord_101", sent.Form["payment_intent_data[metadata][order_id]"]);
        Assert.Equal("buyer+tag@example.com", sent.Form["customer_email"]);
        Assert.Equal("https://shop.example/orders/ord_101/paid?session={CHECKOUT_SESSION_ID}", sent.Form["success_url"]);
        Assert.Equal("https://shop.example/cart", sent.Form["cancel_url"]);
        Assert.Equal(request.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Form["expires_at"]);
        Assert.Equal("usd", sent.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("Field Guide (PDF)", sent.Form["line_items[0][price_data][product_data][name]"]);
        Assert.Equal("4900", sent.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("2", sent.Form["line_items[0][quantity]"]);
        Assert.Equal("500", sent.Form["line_items[1][price_data][unit_amount]"]);
        Assert.Equal("1", sent.Form["line_items[1][quantity]"]);
    }

    [Fact]
    public async Task OpenSession_RepeatedWithTheSameKey_ReturnsTheSameSession()
    {
        var request = SessionRequest("ord_102");

        var first = await Gateway.OpenSessionAsync(request, CancellationToken.None);
        var second = await Gateway.OpenSessionAsync(request, CancellationToken.None);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ExpireSession_Open_BecomesExpired()
    {
        var opened = await Gateway.OpenSessionAsync(SessionRequest("ord_103"), CancellationToken.None);

        var status = await Gateway.ExpireSessionAsync(opened.SessionId, CancellationToken.None);

        Assert.Equal(PaymentSessionState.Expired, status.State);
        Assert.Equal($"expire:{opened.SessionId}", fake.Requests[^1].Header("Idempotency-Key"));
        Assert.Equal(PaymentSessionState.Expired, (await Gateway.GetSessionStatusAsync(opened.SessionId, CancellationToken.None)).State);
    }

    [Fact]
    public async Task ExpireSession_PaidJustBefore_ReportsPaidInsteadOfFailing()
    {
        var opened = await Gateway.OpenSessionAsync(SessionRequest("ord_104"), CancellationToken.None);
        var paymentIntent = fake.PayCheckoutSession(opened.SessionId);

        var status = await Gateway.ExpireSessionAsync(opened.SessionId, CancellationToken.None);

        Assert.Equal(PaymentSessionState.Paid, status.State);
        Assert.Equal(paymentIntent, status.PaymentIntentId);
    }

    [Fact]
    public async Task Refund_WithoutAmount_RefundsWhatIsLeft()
    {
        var opened = await Gateway.OpenSessionAsync(SessionRequest("ord_105"), CancellationToken.None);
        var paymentIntent = fake.PayCheckoutSession(opened.SessionId);
        await Gateway.RefundAsync(new RefundRequest(paymentIntent, 300, "refund:ord_105:1"), CancellationToken.None);

        var rest = await Gateway.RefundAsync(new RefundRequest(paymentIntent, null, "refund:ord_105:2"), CancellationToken.None);

        Assert.Equal(10000, rest.Amount);
        Assert.False(fake.Requests[^1].Form.ContainsKey("amount"));
    }

    [Fact]
    public async Task Refund_MoreThanWasPaid_IsRefusedAndNotRetryable()
    {
        var opened = await Gateway.OpenSessionAsync(SessionRequest("ord_106"), CancellationToken.None);
        var paymentIntent = fake.PayCheckoutSession(opened.SessionId);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Gateway.RefundAsync(new RefundRequest(paymentIntent, 20_000, "refund:ord_106:1"), CancellationToken.None));

        Assert.False(error.IsRetryable);
        Assert.Equal("amount_too_large", error.Code);
        Assert.Contains("parameter 'amount'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSession_ExpiryTooSoonForStripe_IsRefusedBeforeCallingStripe()
    {
        var request = SessionRequest("ord_107") with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Gateway.OpenSessionAsync(request, CancellationToken.None));

        Assert.Contains("30 minutes to 24 hours", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task OpenSession_UppercaseCurrency_IsRefusedWithTheExpectedForm()
    {
        var request = SessionRequest("ord_108") with { Currency = "USD" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Gateway.OpenSessionAsync(request, CancellationToken.None));

        Assert.Contains("lowercase ISO 4217", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    private static PaymentSessionRequest SessionRequest(string orderId) => new(
        orderId,
        [new PaymentLine("Field Guide (PDF)", 4900, 2), new PaymentLine("Gift wrap", 500, 1)],
        "usd",
        "buyer+tag@example.com",
        new Uri($"https://shop.example/orders/{orderId}/paid?session={{CHECKOUT_SESSION_ID}}"),
        new Uri("https://shop.example/cart"),
        DateTimeOffset.UtcNow.AddHours(1),
        $"checkout:{orderId}:1");
}
