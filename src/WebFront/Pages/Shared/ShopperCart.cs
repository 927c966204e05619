using Courier.Abstractions.Carts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Commerce;

namespace Courier.WebFront.Pages.Shared;

/// <summary>
/// The current shopper's cart for one page render (header badge, floating cart, checkout), read
/// at most once. A first-time visitor has no cart yet, so no grain is activated for them.
/// </summary>
internal sealed class ShopperCart(IHttpContextAccessor accessor, IGrainFactory grains)
{
    private Task<CartView?>? cart;

    public Task<CartView?> GetAsync() => cart ??= LoadAsync();

    private async Task<CartView?> LoadAsync()
    {
        var http = accessor.HttpContext;
        if (http is null) return null;
        if (http.AccountId() is null && !http.Request.Cookies.ContainsKey(Shopper.CartCookie)) return null;
        return await grains.GetGrain<ICartGrain>(http.CartId()).GetAsync();
    }
}
