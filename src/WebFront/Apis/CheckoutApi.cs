using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using System.Security.Cryptography;
using Courier.Abstractions.Carts;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Grains.Payments;
using Courier.Silo.Grains;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Courier.WebFront.Apis;

internal static class CheckoutApi
{
    /// <summary>
    /// How long the payment page stays open (and stock stays reserved): 30 minutes, plus a minute
    /// so the request still meets Stripe's 30-minute minimum when it arrives.
    /// </summary>
    public static readonly TimeSpan PaymentWindow = TimeSpan.FromMinutes(31);

    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/checkout", CheckoutAsync).WithTags("Checkout").AllowAnonymous()
            .WithSummary("Turns the cart into an order, reserves stock and opens the payment page. Send Idempotency-Key to make retries safe.");
        return app;
    }

    private static async Task<Results<Ok<CheckoutStarted>, ProblemHttpResult>> CheckoutAsync(
        [FromBody] CheckoutRequest? body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext http, IGrainFactory grains, IPaymentGateway gateway, TimeProvider clock)
    {
        var email = http.AccountEmail() ?? body?.Email?.Trim();
        if (email is null || !MailAddress.TryCreate(email, out _) || email.Length > 254)
            return TypedResults.Problem(statusCode: 400, type: RuleViolationProblems.TypePrefix + "email-required", title: "An e-mail address is needed.",
                detail: "Sign in, or give the e-mail address your receipt and delivery should go to.");
        if (idempotencyKey is { Length: > 200 })
            return TypedResults.Problem(statusCode: 400, title: "Idempotency-Key is too long.", detail: "Use at most 200 characters, e.g. a UUID.");

        var cartId = http.CartId();
        var cart = grains.GetGrain<ICartGrain>(cartId);
        if (body?.RemindIfAbandoned is { } remind) await cart.SetContactAsync(email, remind);
        var start = await cart.BeginCheckoutAsync(idempotencyKey ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), NewOrderId());
        var order = grains.GetGrain<IOrderGrain>(start.OrderId);
        using var newOrder = start.AlreadyStarted ? default : NewGrain.Announce(order); // its id was made up just now
        var now = clock.GetUtcNow();
        var deadline = now + PaymentWindow;

        var lines = new List<OrderLineDraft>();
        foreach (var line in start.Cart.Lines)
        {
            var product = await grains.GetGrain<IProductGrain>(line.ProductId).GetAsync()
                ?? throw new RuleViolationException("product-not-found", $"{line.Title} is no longer sold.", 409);
            lines.Add(new OrderLineDraft(product.Id, product.Slug, product.Title, product.Price, line.Quantity, product.DeliveryKind, product.StockLimit is not null));
        }
        var draft = new PlaceOrder(cartId, http.AccountId(), email, lines, start.Cart.CouponCode,
            start.Cart.Subtotal, start.Cart.Discount, start.Cart.Total, deadline);

        // Nothing to sell out: open the payment page first and place the order with it in one commit.
        if (!start.AlreadyStarted && !lines.Exists(l => l.StockLimited))
        {
            var opened = await OpenPaymentSessionAsync(start.OrderId, draft);
            var placedOpen = await order.PlaceWithPaymentSessionAsync(draft, opened.SessionId, opened.RedirectUrl, opened.ExpiresAt);
            return placedOpen.Order is { Status: OrderStatus.PendingPayment, Payment.RedirectUrl: { } url }
                ? TypedResults.Ok(new CheckoutStarted(placedOpen.Order.Id, url.OriginalString))
                : CheckoutFinished(placedOpen.Order);
        }

        var placed = await order.PlaceAsync(draft);
        if (placed.SoldOut is { } soldOut)
            return TypedResults.Problem(statusCode: 409, type: RuleViolationProblems.TypePrefix + "sold-out", title: "Sold out.",
                detail: soldOut.Available == 0
                    ? $"{soldOut.Title} sold out. Remove it from your cart to continue."
                    : $"Only {soldOut.Available} of {soldOut.Title} left; you asked for {soldOut.Requested}. Lower the quantity to continue.",
                extensions: new Dictionary<string, object?> { ["productId"] = soldOut.ProductId, ["available"] = soldOut.Available, ["requested"] = soldOut.Requested });

        if (placed.Order.Payment.RedirectUrl is { } existing && placed.Order.Status == OrderStatus.PendingPayment)
            return TypedResults.Ok(new CheckoutStarted(placed.Order.Id, existing.OriginalString));
        if (placed.Order.Status != OrderStatus.PendingPayment)
            return CheckoutFinished(placed.Order);

        var session = await OpenPaymentSessionAsync(placed.Order.Id, draft);
        await order.AttachPaymentSessionAsync(session.SessionId, session.RedirectUrl, session.ExpiresAt);
        return TypedResults.Ok(new CheckoutStarted(placed.Order.Id, session.RedirectUrl.OriginalString));

        Task<PaymentSession> OpenPaymentSessionAsync(string orderId, PlaceOrder placing)
        {
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            return gateway.OpenSessionAsync(new PaymentSessionRequest(
                orderId,
                PaymentLines(orderId, placing),
                placing.Total.Currency,
                email,
                new Uri($"{origin}/checkout/return?order={orderId}&session={{CHECKOUT_SESSION_ID}}"),
                new Uri($"{origin}/cart"),
                deadline,
                $"checkout:{orderId}"), http.RequestAborted);
        }
    }

    private static ProblemHttpResult CheckoutFinished(OrderView order) =>
        TypedResults.Problem(statusCode: 409, type: RuleViolationProblems.TypePrefix + "checkout-finished", title: "This checkout is already finished.",
            detail: $"Order {order.Id} is {order.Status}. Start a new checkout with a new Idempotency-Key.");

    /// <summary>
    /// The lines the payment page shows. Providers take no negative lines, so a discounted order is
    /// charged as one line for its total, naming the coupon.
    /// </summary>
    private static List<PaymentLine> PaymentLines(string orderId, PlaceOrder order) =>
        order.Discount.Amount == 0
            ? [.. order.Lines.Select(l => new PaymentLine(l.Title, l.UnitPrice.Amount, l.Quantity))]
            : [new PaymentLine($"Order {orderId}: {order.Lines.Sum(l => l.Quantity)} item(s), coupon {order.CouponCode} applied", order.Total.Amount, 1)];

    private static string NewOrderId() => "ord_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

internal sealed record CheckoutRequest(
    [property: StringLength(254, ErrorMessage = "Give email as an address of at most 254 characters.")] string? Email,
    bool? RemindIfAbandoned);

internal sealed record CheckoutStarted(string OrderId, string RedirectUrl);
