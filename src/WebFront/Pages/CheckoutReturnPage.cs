using System.Globalization;
using System.Net;
using System.Text;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Apis;

namespace Courier.WebFront.Pages;

/// <summary>
/// Where the payment page sends the customer back: the order and where its payment stands,
/// refreshing itself until the payment is confirmed (the live tracker comes with the storefront).
/// </summary>
internal static class CheckoutReturnPage
{
    public static IEndpointRouteBuilder MapCheckoutReturnPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/checkout/return", ShowAsync).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ShowAsync(string? order, HttpContext http, IGrainFactory grains)
    {
        var view = order is { Length: > 0 and < 100 } ? await grains.Get<IOrderGrain>(order).Get() : null;
        if (view is null || !OrdersApi.MayRead(http, view))
            return Results.Content(PageShell.Render("Order not found",
                "<div class=\"pay\"><section><h1>We could not find that order</h1><p class=\"muted\">Open the link from your receipt e-mail, or sign in to see your orders.</p></section></div>"),
                "text/html; charset=utf-8", statusCode: 404);

        var waiting = view.Status is OrderStatus.PendingPayment;
        var (headline, note) = view.Status switch
        {
            OrderStatus.PendingPayment => ("Confirming your payment…", "This page updates by itself. Most payments are confirmed within seconds."),
            OrderStatus.Paid or OrderStatus.Fulfilling or OrderStatus.Fulfilled or OrderStatus.Completed => ("Thank you — your order is confirmed", "Your receipt is on its way to " + view.Email + ". Delivery starts now."),
            OrderStatus.PaymentFailed => ("Your payment did not go through", "Nothing was charged. Your cart is saved, so you can try again."),
            OrderStatus.Expired => ("This checkout expired", "Nothing was charged. Your cart is saved, so you can start again."),
            _ => ($"Order {view.Status}", view.StatusReason ?? ""),
        };
        var lines = new StringBuilder();
        foreach (var line in view.Lines)
            lines.Append(CultureInfo.InvariantCulture, $"<li><span>{WebUtility.HtmlEncode(line.Title)} <span class=\"muted\">× {line.Quantity}</span></span><span>{line.LineTotal}</span></li>");
        var body = $"""
            <div class="pay">
              <section aria-labelledby="title">
                <p class="brand">Courier</p>
                <h1 id="title">{WebUtility.HtmlEncode(headline)}</h1>
                <p class="muted" role="status">{WebUtility.HtmlEncode(note)}</p>
              </section>
              <section class="form" aria-label="Order summary">
                <h2>Order <span data-volatile>{WebUtility.HtmlEncode(view.Id)}</span></h2>
                <ul class="lines">{lines}</ul>
                <p class="total"><span>Total</span><strong>{view.Total}</strong></p>
              </section>
            </div>
            """;
        var html = PageShell.Render(headline, body);
        if (waiting) html = html.Replace("<head>", "<head><meta http-equiv=\"refresh\" content=\"2\">", StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
