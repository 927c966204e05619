using System.ComponentModel.DataAnnotations;
using Courier.Abstractions.Carts;
using Courier.Abstractions.Runtime;
using Courier.Silo.Grains;
using Courier.WebFront.Commerce;

namespace Courier.WebFront.Apis;

internal static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/cart").WithTags("Cart").AllowAnonymous();
        cart.MapGet("/", GetAsync)
            .WithSummary("The shopper's cart with itemCount and total.");
        cart.MapPost("/items", (AddCartItem body, HttpContext http, IGrainFactory grains) => Cart(http, grains).AddAsync(body.ProductId, body.Quantity ?? 1))
            .WithSummary("Adds a product (quantities add up; stock is respected).");
        cart.MapPut("/items/{productId}", (string productId, SetCartQuantity body, HttpContext http, IGrainFactory grains) => Cart(http, grains).SetQuantityAsync(productId, body.Quantity))
            .WithSummary("Sets a line's quantity (0 removes it).");
        cart.MapDelete("/items/{productId}", (string productId, HttpContext http, IGrainFactory grains) => Cart(http, grains).RemoveAsync(productId))
            .WithSummary("Removes a line.");
        cart.MapPost("/coupon", (ApplyCoupon body, HttpContext http, IGrainFactory grains) => Cart(http, grains).ApplyCouponAsync(body.Code))
            .WithSummary("Applies a coupon code; 409 with the reason when it does not apply.");
        cart.MapDelete("/coupon", (HttpContext http, IGrainFactory grains) => Cart(http, grains).RemoveCouponAsync())
            .WithSummary("Removes the coupon.");
        return app;
    }

    private static async Task<CartView> GetAsync(HttpContext http, IGrainFactory grains)
    {
        var cart = Cart(http, grains);
        using (http.IsFirstVisit() ? NewGrain.Announce(cart) : default) // its cart id was made up by this request
            return await cart.GetAsync();
    }

    private static ICartGrain Cart(HttpContext http, IGrainFactory grains) => grains.GetGrain<ICartGrain>(http.CartId());
}

internal sealed record AddCartItem(
    [property: StringLength(100, MinimumLength = 1, ErrorMessage = "Give productId: the id of a product, e.g. \"prod_aurora\".")] string ProductId,
    [property: Range(1, CartLimits.MaxQuantity, ErrorMessage = "Choose a quantity from 1 to 99.")] int? Quantity);

internal sealed record SetCartQuantity(
    [property: Range(0, CartLimits.MaxQuantity, ErrorMessage = "Choose a quantity from 0 (remove) to 99.")] int Quantity);

internal sealed record ApplyCoupon(
    [property: StringLength(40, MinimumLength = 1, ErrorMessage = "Give code: the coupon code, 1–40 characters.")] string Code);

/// <summary>The cart's limits as the API states them (the cart grain enforces the same).</summary>
internal static class CartLimits
{
    public const int MaxQuantity = 99;
}
