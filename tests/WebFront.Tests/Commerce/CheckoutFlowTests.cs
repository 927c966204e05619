using System.Net;
using Courier.Abstractions.Coupons;
using Courier.TestSupport;

namespace Courier.WebFront.Tests.Commerce;

public sealed class CheckoutFlowTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Guest_buys_with_the_simulated_gateway_and_gets_one_receipt_and_an_empty_cart()
    {
        await factory.SeedProductAsync("prod_flow_a", 4900);
        await factory.SeedProductAsync("prod_flow_b", 1999);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_flow_a");
        var cart = await shopper.AddToCartAsync("prod_flow_b", 2);
        Assert.Equal(3, cart.GetProperty("itemCount").GetInt32());
        Assert.Equal(4900 + 2 * 1999, cart.GetProperty("total").GetProperty("amount").GetInt64());

        var (orderId, redirect) = await shopper.CheckoutAsync("guest.flow@example.com");
        Assert.StartsWith("/pay/cs_sim_", redirect, StringComparison.Ordinal);
        using var paid = await shopper.PayAsync(redirect, "4242 4242 4242 4242");

        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Contains($"/checkout/return?order={orderId}", paid.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var order = await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
        Assert.Equal(8898, order.GetProperty("order").GetProperty("total").GetProperty("amount").GetInt64());
        var steps = order.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "OrderStepped")
            .Select(e => e.GetProperty("data").GetProperty("to").GetString()).ToList();
        Assert.Equal(["PendingPayment", "Paid", "Fulfilling"], steps);
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM mailbox WHERE order_id = $1 AND kind = 'receipt'", orderId) == 1, because: "the receipt is sent");
        await Eventually.TrueAsync(async () => (await (await shopper.GetAsync("/api/cart")).JsonAsync()).GetProperty("itemCount").GetInt32() == 0,
            because: "the paid cart empties");
        Assert.Equal(1, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM mailbox WHERE order_id = $1", orderId));
        var returnPage = await (await shopper.Client.GetAsync(paid.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("your order is confirmed", returnPage, StringComparison.Ordinal);
        using var stranger = await new ApiSession(factory).OpenAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(paid.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task Declined_card_keeps_the_order_payable_and_shows_the_reason()
    {
        await factory.SeedProductAsync("prod_decline", 2500);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_decline");
        var (orderId, redirect) = await shopper.CheckoutAsync();

        using var declined = await shopper.PayAsync(redirect, "4000 0000 0000 0002");

        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Contains("Your card was declined.", await declined.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await shopper.OrderAsync(orderId)).GetProperty("timeline").EnumerateArray()
            .Any(e => e.GetProperty("kind").GetString() == "OrderNoted" && e.GetProperty("data").GetProperty("note").GetString()!.Contains("declined", StringComparison.Ordinal)));
        Assert.Equal("pendingPayment", (await shopper.OrderAsync(orderId)).GetProperty("order").GetProperty("status").GetString());

        using var retried = await shopper.PayAsync(redirect, "4242424242424242");
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
    }

    [Fact]
    public async Task Slow_payment_that_fails_restores_stock_and_sends_the_failure_email_with_a_retry_link()
    {
        await factory.SeedProductAsync("prod_slowfail", 3000, stock: 5);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_slowfail", 2);
        var (orderId, redirect) = await shopper.CheckoutAsync("slow.fail@example.com");
        Assert.Equal(3, (await (await shopper.GetAsync("/api/products/slowfail")).JsonAsync()).GetProperty("available").GetInt32());

        using var processing = await shopper.PayAsync(redirect, "4000 0000 0000 9995");
        Assert.Equal(HttpStatusCode.Redirect, processing.StatusCode);

        await shopper.WaitForOrderStatusAsync(orderId, "paymentFailed");
        Assert.Equal(5, (await (await shopper.GetAsync("/api/products/slowfail")).JsonAsync()).GetProperty("available").GetInt32());
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>(
            "SELECT count(*) FROM mailbox WHERE order_id = $1 AND kind = 'payment-failed' AND text_body LIKE '%/cart%'", orderId) == 1);
        Assert.Equal(2, (await (await shopper.GetAsync("/api/cart")).JsonAsync()).GetProperty("itemCount").GetInt32());
    }

    [Fact]
    public async Task Checkout_with_the_same_idempotency_key_returns_the_same_order_and_payment_page()
    {
        await factory.SeedProductAsync("prod_idem", 1500);
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_idem");

        var first = await shopper.CheckoutAsync(idempotencyKey: "retry-me-1");
        var second = await shopper.CheckoutAsync(idempotencyKey: "retry-me-1");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Coupon_discounts_the_order_and_is_counted_once_paid()
    {
        await factory.SeedProductAsync("prod_coupon", 10_001);
        await factory.SeedCouponAsync("TENOFF", new CouponDraft(CouponKind.Percentage, 1000, "usd", null, 5, 5000));
        using var shopper = await new ApiSession(factory).OpenAsync();
        await shopper.AddToCartAsync("prod_coupon");

        var cart = await (await shopper.SendJsonAsync(HttpMethod.Post, "/api/cart/coupon", new { code = "tenoff" })).JsonAsync();
        Assert.Equal(1000, cart.GetProperty("discount").GetProperty("amount").GetInt64());
        Assert.Equal(9001, cart.GetProperty("total").GetProperty("amount").GetInt64());

        var (orderId, redirect) = await shopper.CheckoutAsync();
        using var _ = await shopper.PayAsync(redirect, "4242424242424242");
        var order = await shopper.WaitForOrderStatusAsync(orderId, "fulfilling");
        Assert.Equal(9001, order.GetProperty("order").GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(1, (await factory.Grains().GetGrain<ICouponGrain>("TENOFF").GetAsync())!.Used);
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_that_says_what_to_do()
    {
        using var shopper = await new ApiSession(factory).OpenAsync();

        using var unknown = await shopper.SendJsonAsync(HttpMethod.Post, "/api/cart/items", new { productId = "prod_nope", quantity = 1 });
        using var empty = await shopper.SendJsonAsync(HttpMethod.Post, "/api/checkout", new { email = "x@example.com" });
        using var noEmail = await shopper.SendJsonAsync(HttpMethod.Post, "/api/checkout", new { });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, empty.StatusCode);
        Assert.Contains("cart is empty", (await empty.JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noEmail.StatusCode);
    }

    [Fact]
    public async Task Another_shopper_cannot_read_my_order()
    {
        await factory.SeedProductAsync("prod_private", 1200);
        using var owner = await new ApiSession(factory).OpenAsync();
        await owner.AddToCartAsync("prod_private");
        var (orderId, _) = await owner.CheckoutAsync();
        using var stranger = await new ApiSession(factory).OpenAsync();

        using var response = await stranger.GetAsync($"/api/orders/{orderId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
