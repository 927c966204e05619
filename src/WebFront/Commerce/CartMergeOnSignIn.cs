using Courier.Abstractions.Accounts;
using Courier.Abstractions.Carts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Accounts;

namespace Courier.WebFront.Commerce;

/// <summary>
/// At sign-in, the anonymous cart of this browser is merged into the account's cart (quantities
/// added, stock respected), and the cart learns where to send an abandoned-cart reminder — only if
/// the customer accepts marketing e-mails.
/// </summary>
internal sealed class CartMergeOnSignIn(IGrainFactory grains) : ISignInHook
{
    public async Task OnSignedInAsync(HttpContext context, string accountId)
    {
        var cart = grains.GetGrain<ICartGrain>(Shopper.AccountCart(accountId));
        if (context.Request.Cookies.TryGetValue(Shopper.CartCookie, out var token) && token.Length == 32)
            await cart.MergeFromAsync(Shopper.AnonymousCart(token));
        if (context.AccountEmail() is { } email)
        {
            var preferences = await grains.GetGrain<IAccountGrain>(email).GetNotificationPreferencesAsync();
            await cart.SetContactAsync(email, preferences.MarketingEmails);
        }
    }
}
