using Orleans.Concurrency;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Carts;

/// <summary>
/// A shopping cart, keyed "anon:{id}" for an anonymous shopper (by cookie) or "account:{id}" for
/// a signed-in customer. Every change publishes <see cref="CartChanged"/>.
/// </summary>
public interface ICartGrain : IGrainWithStringKey
{
    Task<CartView> AddAsync(string productId, int quantity);
    Task<CartView> SetQuantityAsync(string productId, int quantity);
    Task<CartView> RemoveAsync(string productId);
    Task<CartView> ApplyCouponAsync(string code);
    Task<CartView> RemoveCouponAsync();
    [ReadOnly] Task<CartView> GetAsync();

    /// <summary>
    /// Adds another cart's lines (quantities added, stock respected); that cart is emptied through
    /// the outbox once this merge has committed, so a replayed merge never loses lines.
    /// </summary>
    Task<CartView> MergeFromAsync(string otherCartId);

    /// <summary>Empties the cart if it is still at <paramref name="version"/> (its lines were merged into another cart).</summary>
    Task ClearIfUnchangedAsync(long version);

    /// <summary>Whether to send one abandoned-cart e-mail, and where.</summary>
    Task SetContactAsync(string? email, bool remindIfAbandoned);

    /// <summary>
    /// Starts a checkout: returns the order id for this idempotency key (a new one on first use,
    /// <paramref name="proposedOrderId"/>) and the lines and totals to snapshot.
    /// </summary>
    Task<CheckoutStart> BeginCheckoutAsync(string idempotencyKey, string proposedOrderId);

    /// <summary>The order was paid: the cart empties.</summary>
    Task CheckedOutAsync(string orderId);
}

public sealed record CartLineView(string ProductId, string Slug, string Title, string Image, Money UnitPrice, int Quantity, Money LineTotal, int? Available);

public sealed record CartView(
    string CartId,
    IReadOnlyList<CartLineView> Lines,
    int ItemCount,
    Money Subtotal,
    string? CouponCode,
    string? CouponProblem,
    Money Discount,
    Money Total,
    long Version);

public sealed record CheckoutStart(string OrderId, bool AlreadyStarted, CartView Cart);

public sealed record CartChanged(string CartId, int ItemCount, Money Total) : LiveEvent
{
    public override string Kind => "cartChanged";
    public override IReadOnlyList<string> Topics => [$"cart:{CartId}"];
}
