using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Checkout;

/// <summary>
/// The return page (<c>/checkout/return?order=…</c>) as a shopper reads it: the headline, the
/// payment step and one delivery step per order line, each with its state
/// (<c>data-state</c> done/current/problem/pending, <c>data-delivery-status</c> as the delivery reports it).
/// </summary>
internal sealed partial class OrderReturnPage(IPage page)
{
    public const string ReadyHeadline = "Your order is ready";

    public ILocator Headline => page.GetByTestId("order-headline");

    public ILocator PaymentStep => page.Locator("[data-testid=order-step][data-step=payment]");

    public ILocator DeliverySteps => page.Locator("[data-testid=order-step][data-step=delivery]");

    public ILocator Total => page.GetByTestId("order-total");

    public ILocator DeliveryStep(string title) => DeliverySteps.Filter(new() { HasText = title });

    public async Task ExpectOpenedAsync(string orderId)
    {
        await Expect(page).ToHaveURLAsync(new Regex($"/checkout/return\\?order={Regex.Escape(orderId)}(&|$)"));
        await Expect(page.GetByTestId("order-live")).ToBeVisibleAsync();
    }

    /// <summary>Paid, and every line delivered: what the shopper came back for.</summary>
    public async Task ExpectPaidAndReadyAsync(int lines)
    {
        await Expect(Headline).ToHaveTextAsync(ReadyHeadline);
        await Expect(PaymentStep).ToHaveAttributeAsync("data-state", "done");
        await Expect(PaymentStep).ToContainTextAsync("Payment confirmed");
        await Expect(DeliverySteps).ToHaveCountAsync(lines);
        for (var line = 0; line < lines; line++)
        {
            await Expect(DeliverySteps.Nth(line)).ToHaveAttributeAsync("data-delivery-status", "Ready");
            await Expect(DeliverySteps.Nth(line)).ToHaveAttributeAsync("data-state", "done");
        }
    }
}
