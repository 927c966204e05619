using Courier.Abstractions.Carts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Commerce;

namespace Courier.WebFront.Apis;

internal static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/cart").WithTags("Cart").AllowAnonymous();
        cart.MapGet("/", (HttpContext http, IGrainFactory grains) => Cart(http, grains).Get())
            .WithSummary("The shopper's cart with itemCount and total.");
        cart.MapPost("/items", (AddCartItem body, HttpContext http, IGrainFactory grains) => Cart(http, grains).Add(body.ProductId, body.Quantity ?? 1))
            .WithSummary("Adds a product (quantities add up; stock is respected).");
        cart.MapPut("/items/{productId}", (string productId, SetCartQuantity body, HttpContext http, IGrainFactory grains) => Cart(http, grains).SetQuantity(productId, body.Quantity))
            .WithSummary("Sets a line's quantity (0 removes it).");
        cart.MapDelete("/items/{productId}", (string productId, HttpContext http, IGrainFactory grains) => Cart(http, grains).Remove(productId))
            .WithSummary("Removes a line.");
        cart.MapPost("/coupon", (ApplyCoupon body, HttpContext http, IGrainFactory grains) => Cart(http, grains).ApplyCoupon(body.Code))
            .WithSummary("Applies a coupon code; 409 with the reason when it does not apply.");
        cart.MapDelete("/coupon", (HttpContext http, IGrainFactory grains) => Cart(http, grains).RemoveCoupon())
            .WithSummary("Removes the coupon.");
        return app;
    }

    private static ICartGrain Cart(HttpContext http, IGrainFactory grains) => grains.GetGrain<ICartGrain>(http.CartId());
}

internal sealed record AddCartItem(string ProductId, int? Quantity);

internal sealed record SetCartQuantity(int Quantity);

internal sealed record ApplyCoupon(string Code);
