using System.Collections.Concurrent;
using Courier.Abstractions.Carts;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Live;
using Courier.Grains.Carts;
using Courier.Grains.Mail;
using Courier.TestSupport;

namespace Courier.Grains.Tests.Carts;

public sealed class CartGrainTests(CommerceSilo silo) : IClassFixture<CommerceSilo>
{
    private static Money Usd(long amount) => new(amount, "usd");

    private ICartGrain NewCart(out string id)
    {
        id = CommerceSilo.NewKey("anon");
        return silo.Grains.GetGrain<ICartGrain>(id);
    }

    private async Task<string> CouponAsync(CouponKind kind, long value, long minimumSubtotal = 0)
    {
        var code = CommerceSilo.NewKey("SAVE").ToUpperInvariant();
        await silo.Grains.GetGrain<ICouponGrain>(code).SaveAsync(new CouponDraft(kind, value, "usd", null, null, minimumSubtotal));
        return code;
    }

    [Fact]
    public async Task Add_same_product_twice_adds_the_quantities()
    {
        var product = await silo.NewProductAsync(price: 4_900);
        var cart = NewCart(out var cartId);

        await cart.AddAsync(product, 2);
        var view = await cart.AddAsync(product, 3);

        var line = Assert.Single(view.Lines);
        Assert.Equal(5, line.Quantity);
        Assert.Equal(Usd(24_500), line.LineTotal);
        Assert.Equal(5, view.ItemCount);
        Assert.Equal(Usd(24_500), view.Subtotal);
        Assert.Equal(Usd(24_500), view.Total);
        Assert.Equal(cartId, view.CartId);
        Assert.Equal(view.Lines, (await cart.GetAsync()).Lines);
    }

    [Fact]
    public async Task Add_beyond_99_in_total_caps_the_line_at_99()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out _);

        await cart.AddAsync(product, 60);
        var view = await cart.AddAsync(product, 60);

        Assert.Equal(99, Assert.Single(view.Lines).Quantity);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(-1)]
    public async Task Add_quantity_outside_1_to_99_is_refused(int quantity)
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out _);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.AddAsync(product, quantity));

        Assert.Equal("invalid-quantity", error.Code);
        Assert.Equal(400, error.Status);
        Assert.Empty((await cart.GetAsync()).Lines);
    }

    [Fact]
    public async Task Add_unknown_product_is_404()
    {
        var cart = NewCart(out _);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.AddAsync("prod_nope", 1));

        Assert.Equal("product-not-found", error.Code);
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Add_archived_product_is_404()
    {
        var product = await silo.NewProductAsync();
        await silo.Grains.GetGrain<IProductGrain>(product).ArchiveAsync();
        var cart = NewCart(out _);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.AddAsync(product, 1));

        Assert.Equal("product-not-found", error.Code);
        Assert.Equal(404, error.Status);
        Assert.Empty((await cart.GetAsync()).Lines);
    }

    [Fact]
    public async Task Add_more_than_stock_is_409_sold_out_with_what_is_available()
    {
        var product = await silo.NewProductAsync(stockLimit: 3);
        var cart = NewCart(out _);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.AddAsync(product, 4));
        var view = await cart.AddAsync(product, 3);

        Assert.Equal("sold-out", error.Code);
        Assert.Equal(409, error.Status);
        Assert.Equal("Only 3 of Aurora SaaS starter left.", error.Message);
        Assert.Equal(3, error.Details["available"]);
        Assert.Equal(product, error.Details["productId"]);
        var line = Assert.Single(view.Lines);
        Assert.Equal(3, line.Quantity);
        Assert.Equal(3, line.Available);
    }

    [Fact]
    public async Task SetQuantity_beyond_stock_is_409_and_keeps_the_old_quantity()
    {
        var product = await silo.NewProductAsync(stockLimit: 3);
        var cart = NewCart(out _);
        await cart.AddAsync(product, 2);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.SetQuantityAsync(product, 5));

        Assert.Equal("sold-out", error.Code);
        Assert.Equal(2, Assert.Single((await cart.GetAsync()).Lines).Quantity);
    }

    [Fact]
    public async Task SetQuantity_zero_removes_the_line()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out _);
        await cart.AddAsync(product, 2);

        var view = await cart.SetQuantityAsync(product, 0);

        Assert.Empty(view.Lines);
        Assert.Equal(0, view.ItemCount);
        Assert.Equal(Usd(0), view.Total);
    }

    [Fact]
    public async Task Add_product_in_another_currency_is_409()
    {
        var dollars = await silo.NewProductAsync(currency: "usd");
        var euros = await silo.NewProductAsync(currency: "eur");
        var cart = NewCart(out _);
        await cart.AddAsync(dollars, 1);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.AddAsync(euros, 1));

        Assert.Equal("mixed-currency", error.Code);
        Assert.Equal(409, error.Status);
        Assert.Single((await cart.GetAsync()).Lines);
    }

    [Fact]
    public async Task ApplyCoupon_takes_the_discount_off_the_total()
    {
        var product = await silo.NewProductAsync(price: 4_999);
        var code = await CouponAsync(CouponKind.Percentage, 1_000);
        var cart = NewCart(out _);
        await cart.AddAsync(product, 1);

        var view = await cart.ApplyCouponAsync($" {code.ToLowerInvariant()} ");

        Assert.Equal(code, view.CouponCode);
        Assert.Null(view.CouponProblem);
        Assert.Equal(Usd(500), view.Discount); // 499.9 → 500
        Assert.Equal(Usd(4_499), view.Total);
    }

    [Fact]
    public async Task ApplyCoupon_unknown_code_is_404()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out _);
        await cart.AddAsync(product, 1);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.ApplyCouponAsync("NOPE-NOT-A-CODE"));

        Assert.Equal("unknown-coupon", error.Code);
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task ApplyCoupon_that_does_not_apply_is_409_with_the_reason()
    {
        var product = await silo.NewProductAsync(price: 3_000);
        var code = await CouponAsync(CouponKind.Fixed, 1_000, minimumSubtotal: 5_000);
        var cart = NewCart(out _);
        await cart.AddAsync(product, 1);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.ApplyCouponAsync(code));

        Assert.Equal("coupon-not-applicable", error.Code);
        Assert.Equal(409, error.Status);
        Assert.Equal("This coupon needs a subtotal of at least 50.00 USD.", error.Message);
        Assert.Null((await cart.GetAsync()).CouponCode);
    }

    [Fact]
    public async Task Coupon_that_stops_applying_shows_the_problem_and_BeginCheckout_refuses_it()
    {
        var product = await silo.NewProductAsync(price: 3_000);
        var code = await CouponAsync(CouponKind.Fixed, 1_000, minimumSubtotal: 5_000);
        var cart = NewCart(out _);
        await cart.AddAsync(product, 2);
        await cart.ApplyCouponAsync(code);

        var view = await cart.SetQuantityAsync(product, 1);
        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.BeginCheckoutAsync("key-1", "ord_1"));

        Assert.Equal(code, view.CouponCode);
        Assert.Equal("This coupon needs a subtotal of at least 50.00 USD.", view.CouponProblem);
        Assert.Equal(Usd(0), view.Discount);
        Assert.Equal(Usd(3_000), view.Total);
        Assert.Equal("coupon-not-applicable", error.Code);
        Assert.Equal(409, error.Status);
        Assert.Equal("This coupon needs a subtotal of at least 50.00 USD. Remove the coupon to continue.", error.Message);
    }

    [Fact]
    public async Task BeginCheckout_same_key_twice_returns_the_first_order_id()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out _);
        await cart.AddAsync(product, 1);

        var first = await cart.BeginCheckoutAsync("key-1", "ord_first");
        var again = await cart.BeginCheckoutAsync("key-1", "ord_second");
        var otherKey = await cart.BeginCheckoutAsync("key-2", "ord_third");

        Assert.Equal("ord_first", first.OrderId);
        Assert.False(first.AlreadyStarted);
        Assert.Equal("ord_first", again.OrderId);
        Assert.True(again.AlreadyStarted);
        Assert.Equal("ord_third", otherKey.OrderId);
        Assert.Equal(Usd(4_900), first.Cart.Total);
    }

    [Fact]
    public async Task BeginCheckout_empty_cart_is_409()
    {
        var cart = NewCart(out _);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => cart.BeginCheckoutAsync("key-1", "ord_1"));

        Assert.Equal("empty-cart", error.Code);
        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task MergeFrom_adds_quantities_capped_by_stock_and_empties_the_other_cart()
    {
        var limited = await silo.NewProductAsync(stockLimit: 3);
        var unlimited = await silo.NewProductAsync(price: 1_000);
        var account = silo.Grains.GetGrain<ICartGrain>(CommerceSilo.NewKey("account"));
        var anonymous = NewCart(out var anonymousId);
        await account.AddAsync(limited, 2);
        await anonymous.AddAsync(limited, 2);
        await anonymous.AddAsync(unlimited, 4);

        var merged = await account.MergeFromAsync(anonymousId);

        Assert.Equal(3, merged.Lines.Single(l => l.ProductId == limited).Quantity);
        Assert.Equal(4, merged.Lines.Single(l => l.ProductId == unlimited).Quantity);
        Assert.Equal(7, merged.ItemCount);
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync()).ItemCount == 0, because: "the merged cart empties after the merge commits");
        Assert.Empty((await anonymous.GetAsync()).Lines);
    }

    [Fact]
    public async Task MergeFrom_keeps_the_other_cart_when_it_changed_before_the_merge_committed()
    {
        var product = await silo.NewProductAsync();
        var other = await silo.NewProductAsync();
        var anonymous = NewCart(out var anonymousId);
        await anonymous.AddAsync(product, 1);
        var seen = (await anonymous.GetAsync()).Version;
        await anonymous.AddAsync(other, 1);

        await anonymous.ClearIfUnchangedAsync(seen);

        Assert.Equal(2, (await anonymous.GetAsync()).ItemCount);
    }

    [Fact]
    public async Task MergeFrom_itself_changes_nothing()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out var cartId);
        await cart.AddAsync(product, 2);

        var view = await cart.MergeFromAsync(cartId);

        Assert.Equal(2, Assert.Single(view.Lines).Quantity);
    }

    [Fact]
    public async Task CheckedOut_empties_the_cart_only_for_an_order_it_started()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out _);
        await cart.AddAsync(product, 2);
        await cart.BeginCheckoutAsync("key-1", "ord_mine");

        await cart.CheckedOutAsync("ord_someone_else");
        var afterUnknown = await cart.GetAsync();
        await cart.CheckedOutAsync("ord_mine");
        var afterMine = await cart.GetAsync();

        Assert.Equal(2, afterUnknown.ItemCount);
        Assert.Empty(afterMine.Lines);
        Assert.Null(afterMine.CouponCode);
    }

    [Fact]
    public async Task Every_change_publishes_cartChanged_with_increasing_versions()
    {
        var product = await silo.NewProductAsync(price: 1_000);
        var code = await CouponAsync(CouponKind.Fixed, 100);
        var cart = NewCart(out var cartId);
        var updates = new ConcurrentQueue<LiveUpdate>();
        using var subscription = silo.Silo.LiveUpdates.Subscribe(update =>
        {
            if (update.Topics.Contains($"cart:{cartId}")) updates.Enqueue(update);
            return ValueTask.CompletedTask;
        });

        await cart.AddAsync(product, 1);
        await cart.SetQuantityAsync(product, 3);
        await cart.ApplyCouponAsync(code);
        await cart.RemoveCouponAsync();
        await cart.GetAsync();
        await cart.RemoveAsync(product);

        var published = updates.ToList();
        Assert.Equal(5, published.Count);
        Assert.All(published, u => Assert.Equal("cartChanged", u.Kind));
        Assert.All(published, u => Assert.Equal([$"cart:{cartId}"], u.Topics));
        Assert.Equal(published.Select(u => u.Version).Order(), published.Select(u => u.Version));
        Assert.Equal(published.Count, published.Select(u => u.Version).Distinct().Count());
        Assert.Equal([1, 3, 3, 3, 0], published.Select(u => u.Data.GetProperty("itemCount").GetInt32()));
        Assert.Equal(2_900, published[2].Data.GetProperty("total").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Change_with_reminder_wanted_schedules_abandoned_reminder_24_hours_later()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out var cartId);
        await cart.SetContactAsync("ada@example.com", true);

        await cart.AddAsync(product, 1);

        var reminder = Assert.Single(await silo.RemindersAsync<CartGrain>(cartId));
        Assert.Equal("abandoned", reminder.Name);
        Assert.Equal(silo.Now + TimeSpan.FromHours(24), reminder.DueAt);
    }

    [Fact]
    public async Task Change_without_reminder_wanted_schedules_no_abandoned_reminder()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out var cartId);
        await cart.SetContactAsync("ada@example.com", false);

        await cart.AddAsync(product, 1);

        Assert.Empty(await silo.RemindersAsync<CartGrain>(cartId));
    }

    [Fact]
    public async Task BeginCheckout_cancels_the_abandoned_reminder()
    {
        var product = await silo.NewProductAsync();
        var cart = NewCart(out var cartId);
        await cart.SetContactAsync("ada@example.com", true);
        await cart.AddAsync(product, 1);

        await cart.BeginCheckoutAsync("key-1", "ord_1");

        Assert.Empty(await silo.RemindersAsync<CartGrain>(cartId));
    }

    [Fact]
    public async Task Abandoned_cart_after_24_hours_gets_one_reminder_email()
    {
        var product = await silo.NewProductAsync(price: 4_900);
        var cart = NewCart(out var cartId);
        await cart.SetContactAsync("ada@example.com", true);
        await cart.AddAsync(product, 2);

        await silo.AdvanceAsync(TimeSpan.FromHours(24));

        await Eventually.TrueAsync(async () => (await silo.RemindersAsync<CartGrain>(cartId)).Count == 0, because: "the abandoned-cart reminder fires");
        var mail = Assert.Single(await silo.SentByAsync<SendEmail>(cartId));
        Assert.Equal("ada@example.com", mail.To);
        Assert.Equal("abandoned-cart", mail.Kind);
        Assert.Contains("Aurora SaaS starter × 2 — 98.00 USD", mail.TextBody, StringComparison.Ordinal);
        await cart.SetQuantityAsync(product, 1);
        Assert.Empty(await silo.RemindersAsync<CartGrain>(cartId));
    }

    [Fact]
    public async Task MergeFrom_lines_in_another_currency_stay_in_the_other_cart()
    {
        var dollars = await silo.NewProductAsync(currency: "usd");
        var euros = await silo.NewProductAsync(currency: "eur");
        var account = silo.Grains.GetGrain<ICartGrain>(CommerceSilo.NewKey("account"));
        var anonymous = NewCart(out var anonymousId);
        await account.AddAsync(dollars, 1);
        await anonymous.AddAsync(euros, 2);

        var merged = await account.MergeFromAsync(anonymousId);

        Assert.Equal([dollars], merged.Lines.Select(l => l.ProductId));
        Assert.Equal(new Money(4_900, "usd"), (await account.GetAsync()).Total);
        var left = Assert.Single((await anonymous.GetAsync()).Lines);
        Assert.Equal((euros, 2), (left.ProductId, left.Quantity));
    }

    [Fact]
    public async Task MergeFrom_into_empty_cart_takes_every_line_in_the_other_currency()
    {
        var first = await silo.NewProductAsync(price: 1_000, currency: "eur");
        var second = await silo.NewProductAsync(price: 2_000, currency: "eur");
        var account = silo.Grains.GetGrain<ICartGrain>(CommerceSilo.NewKey("account"));
        var anonymous = NewCart(out var anonymousId);
        await anonymous.AddAsync(first, 1);
        await anonymous.AddAsync(second, 2);

        var merged = await account.MergeFromAsync(anonymousId);

        Assert.Equal(3, merged.ItemCount);
        Assert.Equal(new Money(5_000, "eur"), merged.Total);
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync()).Lines.Count == 0, because: "the merged cart empties after the merge commits");
    }
}
