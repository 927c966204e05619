using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Checkout;

/// <summary>The simulated provider's payment page, paid the way a shopper pays it.</summary>
internal static partial class PaymentPage
{
    public const string SuccessCard = "4242 4242 4242 4242";

    /// <summary>Opens <paramref name="paymentUrl"/> (the checkout's redirect), pays with <paramref name="card"/> and waits for the store's return page.</summary>
    public static async Task PayAsync(IPage page, string paymentUrl, string card = SuccessCard)
    {
        await page.GotoAsync(paymentUrl);
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = PayButton() }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ReturnPage());
    }

    [GeneratedRegex("^Pay ")]
    private static partial Regex PayButton();

    [GeneratedRegex("/checkout/return\\?order=")]
    private static partial Regex ReturnPage();
}
