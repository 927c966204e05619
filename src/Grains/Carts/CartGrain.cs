using Courier.Abstractions.Carts;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Inventory;
using Courier.Abstractions.Runtime;
using Courier.Grains.Mail;

namespace Courier.Grains.Carts;

public sealed class CartState
{
    public List<CartLine> Lines { get; set; } = [];
    public string? CouponCode { get; set; }
    public string? Email { get; set; }
    public bool RemindIfAbandoned { get; set; }
    public bool AbandonedMailSent { get; set; }
    public bool AbandonedReminderSet { get; set; }
    /// <summary>Recent checkouts by idempotency key, oldest first; bounded so a long-lived cart stays small.</summary>
    public List<CheckoutAttempt> Checkouts { get; set; } = [];
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed record CartLine(string ProductId, int Quantity);

public sealed record CheckoutAttempt(string IdempotencyKey, string OrderId);

/// <summary>Outbox: a cart's lines were merged into another cart; empty it unless it changed since.</summary>
[Orleans.Alias("Courier.Grains.Carts.ClearMergedCart")]
public sealed record ClearMergedCart(string CartId, long Version) : IOutboxMessage;

[Orleans.GrainType("Courier.Grains.Carts.CartGrain")]
internal sealed class CartGrain([GrainContext] IGrainContext<CartState> grain) : Grain, ICartGrain, IRemindable
{
    public const int MaxQuantity = 99;
    public const int MaxRememberedCheckouts = 20;
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(24);
    private CartState State => grain.State;

    public async Task<CartView> AddAsync(string productId, int quantity)
    {
        if (quantity is < 1 or > MaxQuantity)
            throw new RuleViolationException("invalid-quantity", $"Choose a quantity from 1 to {MaxQuantity}.", 400);
        var product = await ActiveProduct(productId);
        var existing = State.Lines.FirstOrDefault(l => l.ProductId == productId);
        var wanted = Math.Min(MaxQuantity, (existing?.Quantity ?? 0) + quantity);
        await EnsureInStock(product, wanted);
        await EnsureSameCurrency(product);
        Upsert(productId, wanted);
        return await Changed();
    }

    public async Task<CartView> SetQuantityAsync(string productId, int quantity)
    {
        if (quantity == 0) return await RemoveAsync(productId);
        if (quantity is < 0 or > MaxQuantity)
            throw new RuleViolationException("invalid-quantity", $"Choose a quantity from 0 to {MaxQuantity}.", 400);
        if (State.Lines.All(l => l.ProductId != productId))
            throw new RuleViolationException("not-in-cart", "That product is not in your cart.", 404);
        var product = await ActiveProduct(productId);
        await EnsureInStock(product, quantity);
        Upsert(productId, quantity);
        return await Changed();
    }

    public async Task<CartView> RemoveAsync(string productId)
    {
        if (State.Lines.RemoveAll(l => l.ProductId == productId) == 0)
            throw new RuleViolationException("not-in-cart", "That product is not in your cart.", 404);
        return await Changed();
    }

    public async Task<CartView> ApplyCouponAsync(string code)
    {
        var normalized = code.Trim().ToUpperInvariant();
        if (normalized.Length is 0 or > 40)
            throw new RuleViolationException("invalid-coupon", "Enter a coupon code.", 400);
        var coupon = await grain.Grains.GetGrain<ICouponGrain>(normalized).GetAsync()
            ?? throw new RuleViolationException("unknown-coupon", $"The code {normalized} is not valid.", 404);
        var view = await View();
        var quote = await grain.Grains.GetGrain<ICouponGrain>(coupon.Code).QuoteAsync(view.Subtotal);
        if (!quote.Applies && view.ItemCount > 0)
            throw new RuleViolationException("coupon-not-applicable", quote.Reason ?? "This coupon does not apply to your cart.", 409);
        State.CouponCode = coupon.Code;
        return await Changed();
    }

    public async Task<CartView> RemoveCouponAsync()
    {
        State.CouponCode = null;
        return await Changed();
    }

    public Task<CartView> GetAsync() => View();

    public async Task<CartView> MergeFromAsync(string otherCartId)
    {
        if (otherCartId == grain.Key) return await View();
        var other = grain.Grains.GetGrain<ICartGrain>(otherCartId);
        var mine = await View();
        var theirs = await other.GetAsync();
        if (theirs.Lines.Count == 0) return mine;
        // A cart holds one currency: lines priced in another stay where they are, to be checked out separately.
        if (mine.Lines.Count > 0 && theirs.Subtotal.Currency != mine.Subtotal.Currency) return mine;
        var currency = mine.Lines.Count > 0 ? mine.Subtotal.Currency : null;
        foreach (var line in theirs.Lines)
        {
            var product = await grain.Grains.GetGrain<IProductGrain>(line.ProductId).GetAsync();
            if (product is not { Active: true }) continue;
            currency ??= product.Price.Currency;
            if (product.Price.Currency != currency) continue;
            var existing = State.Lines.FirstOrDefault(l => l.ProductId == line.ProductId)?.Quantity ?? 0;
            var wanted = Math.Min(MaxQuantity, existing + line.Quantity);
            if (product.StockLimit is not null)
                wanted = Math.Min(wanted, (await grain.Grains.GetGrain<IInventoryGrain>(product.Id).GetAsync()).Available);
            if (wanted > 0) Upsert(line.ProductId, wanted);
        }
        grain.Send(new ClearMergedCart(otherCartId, theirs.Version));
        return await Changed();
    }

    public async Task ClearIfUnchangedAsync(long version)
    {
        if (grain.Version - 1 != version || State.Lines.Count == 0) return;
        State.Lines.Clear();
        State.CouponCode = null;
        await Changed();
    }

    public Task SetContactAsync(string? email, bool remindIfAbandoned)
    {
        State.Email = email;
        State.RemindIfAbandoned = remindIfAbandoned && email is not null;
        ScheduleAbandonedReminder();
        return Task.CompletedTask;
    }

    public async Task<CheckoutStart> BeginCheckoutAsync(string idempotencyKey, string proposedOrderId)
    {
        if (State.Checkouts.Find(c => c.IdempotencyKey == idempotencyKey) is { } existing)
            return new CheckoutStart(existing.OrderId, true, await View());
        var view = await View();
        if (view.ItemCount == 0)
            throw new RuleViolationException("empty-cart", "Your cart is empty. Add a product before checking out.", 409);
        if (view.CouponProblem is not null)
            throw new RuleViolationException("coupon-not-applicable", $"{view.CouponProblem} Remove the coupon to continue.", 409);
        State.Checkouts.Add(new CheckoutAttempt(idempotencyKey, proposedOrderId));
        if (State.Checkouts.Count > MaxRememberedCheckouts) State.Checkouts.RemoveAt(0);
        CancelAbandonedReminder();
        return new CheckoutStart(proposedOrderId, false, view);
    }

    public async Task CheckedOutAsync(string orderId)
    {
        if (!State.Checkouts.Exists(c => c.OrderId == orderId) || State.Lines.Count == 0) return;
        State.Lines.Clear();
        State.CouponCode = null;
        State.AbandonedMailSent = false;
        await Changed();
    }

    public async Task ReceiveReminder(string name, TickStatus status)
    {
        if (name != "abandoned") return;
        State.AbandonedReminderSet = false; // a one-shot reminder is gone once it fired
        if (State.AbandonedMailSent || !State.RemindIfAbandoned || State.Email is null || State.Lines.Count == 0) return;
        var view = await View();
        var items = string.Join("\n", view.Lines.Select(l => $"  • {l.Title} × {l.Quantity} — {l.LineTotal}"));
        grain.Send(new SendEmail(
            State.Email,
            "You left something in your cart",
            $"Your cart is saved:\n\n{items}\n\nTotal: {view.Total}\n\nPick up where you left off: {{base}}/cart\n",
            $"<p>Your cart is saved:</p><ul>{string.Concat(view.Lines.Select(l => $"<li>{Html(l.Title)} × {l.Quantity} — {l.LineTotal}</li>"))}</ul><p>Total: <strong>{view.Total}</strong></p><p><a href=\"{{base}}/cart\">Pick up where you left off</a></p>",
            "abandoned-cart",
            null));
        State.AbandonedMailSent = true;
    }

    private async Task<CartView> Changed()
    {
        State.UpdatedAt = grain.Now;
        ScheduleAbandonedReminder();
        var view = await View();
        grain.Publish(new CartChanged(grain.Key, view.ItemCount, view.Total));
        return view;
    }

    private void ScheduleAbandonedReminder()
    {
        if (State.RemindIfAbandoned && State.Lines.Count > 0 && !State.AbandonedMailSent)
        {
            grain.Remind("abandoned", grain.Now + AbandonedAfter);
            State.AbandonedReminderSet = true;
        }
        else
        {
            CancelAbandonedReminder();
        }
    }

    /// <summary>Cancels the reminder only when one is registered: most carts never have one, and a cancel is a statement in every commit.</summary>
    private void CancelAbandonedReminder()
    {
        if (!State.AbandonedReminderSet) return;
        grain.CancelReminder("abandoned");
        State.AbandonedReminderSet = false;
    }

    private async Task<CartView> View()
    {
        var lines = new List<CartLineView>(State.Lines.Count);
        var currency = "usd";
        foreach (var line in State.Lines)
        {
            var product = await grain.Grains.GetGrain<IProductGrain>(line.ProductId).GetAsync();
            if (product is null) continue;
            currency = product.Price.Currency;
            int? available = product.StockLimit is null ? null : (await grain.Grains.GetGrain<IInventoryGrain>(product.Id).GetAsync()).Available;
            lines.Add(new CartLineView(product.Id, product.Slug, product.Title, product.Images.FirstOrDefault() ?? "", product.Price,
                line.Quantity, product.Price.Times(line.Quantity), available));
        }
        var subtotal = lines.Aggregate(Money.Zero(currency), (sum, l) => sum.Plus(l.LineTotal));
        var discount = Money.Zero(currency);
        string? couponProblem = null;
        if (State.CouponCode is { } code && lines.Count > 0)
        {
            var quote = await grain.Grains.GetGrain<ICouponGrain>(code).QuoteAsync(subtotal);
            if (quote.Applies) discount = quote.Discount.Min(subtotal);
            else couponProblem = quote.Reason;
        }
        return new CartView(grain.Key, lines, lines.Sum(l => l.Quantity), subtotal, State.CouponCode, couponProblem,
            discount, subtotal.Minus(discount), grain.Version);
    }

    private async Task<ProductView> ActiveProduct(string productId)
    {
        var product = await grain.Grains.GetGrain<IProductGrain>(productId).GetAsync();
        return product is { Active: true }
            ? product
            : throw new RuleViolationException("product-not-found", "That product is not available.", 404);
    }

    private async Task EnsureInStock(ProductView product, int wanted)
    {
        if (product.StockLimit is null) return;
        var stock = await grain.Grains.GetGrain<IInventoryGrain>(product.Id).GetAsync();
        if (wanted > stock.Available)
            throw new RuleViolationException("sold-out",
                stock.Available == 0 ? $"{product.Title} is sold out." : $"Only {stock.Available} of {product.Title} left.", 409,
                new Dictionary<string, object?> { ["productId"] = product.Id, ["available"] = stock.Available });
    }

    private async Task EnsureSameCurrency(ProductView product)
    {
        var other = State.Lines.FirstOrDefault(l => l.ProductId != product.Id);
        if (other is null) return;
        var otherProduct = await grain.Grains.GetGrain<IProductGrain>(other.ProductId).GetAsync();
        if (otherProduct is not null && otherProduct.Price.Currency != product.Price.Currency)
            throw new RuleViolationException("mixed-currency",
                $"{product.Title} is priced in {product.Price.Currency.ToUpperInvariant()} but your cart is in {otherProduct.Price.Currency.ToUpperInvariant()}; check out separately.", 409);
    }

    private void Upsert(string productId, int quantity)
    {
        var index = State.Lines.FindIndex(l => l.ProductId == productId);
        if (index >= 0) State.Lines[index] = new CartLine(productId, quantity);
        else State.Lines.Add(new CartLine(productId, quantity));
    }

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);
}
