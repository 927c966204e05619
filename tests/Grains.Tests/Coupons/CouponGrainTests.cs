using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;

namespace Courier.Grains.Tests.Coupons;

public sealed class CouponGrainTests(CommerceSilo silo) : IClassFixture<CommerceSilo>
{
    private static Money Usd(long amount) => new(amount, "usd");

    private async Task<ICouponGrain> CouponAsync(CouponKind kind, long value, DateTimeOffset? expiresAt = null, int? usageLimit = null, long minimumSubtotal = 0, string currency = "usd")
    {
        var coupon = silo.Grains.GetGrain<ICouponGrain>(CommerceSilo.NewKey("SAVE").ToUpperInvariant());
        await coupon.SaveAsync(new CouponDraft(kind, value, currency, expiresAt, usageLimit, minimumSubtotal));
        return coupon;
    }

    [Fact]
    public async Task Quote_percentage_coupon_takes_its_share_rounded_half_away_from_zero()
    {
        var coupon = await CouponAsync(CouponKind.Percentage, 1_000);

        var quote = await coupon.QuoteAsync(Usd(10_005));

        Assert.True(quote.Applies);
        Assert.Equal(Usd(1_001), quote.Discount); // 1,000.5 → 1,001
        Assert.Null(quote.Reason);
    }

    [Fact]
    public async Task Quote_fixed_coupon_takes_its_amount()
    {
        var coupon = await CouponAsync(CouponKind.Fixed, 1_500);

        var quote = await coupon.QuoteAsync(Usd(4_900));

        Assert.True(quote.Applies);
        Assert.Equal(Usd(1_500), quote.Discount);
    }

    [Fact]
    public async Task Quote_fixed_coupon_larger_than_subtotal_never_exceeds_subtotal()
    {
        var coupon = await CouponAsync(CouponKind.Fixed, 10_000);

        var quote = await coupon.QuoteAsync(Usd(4_900));

        Assert.True(quote.Applies);
        Assert.Equal(Usd(4_900), quote.Discount);
    }

    [Fact]
    public async Task Quote_after_expiry_does_not_apply_and_says_when_it_expired()
    {
        var expiresAt = silo.Now.AddMinutes(30);
        var coupon = await CouponAsync(CouponKind.Percentage, 1_000, expiresAt: expiresAt);
        var before = await coupon.QuoteAsync(Usd(4_900));

        silo.Clock.Advance(TimeSpan.FromMinutes(30));
        var after = await coupon.QuoteAsync(Usd(4_900));

        Assert.True(before.Applies);
        Assert.False(after.Applies);
        Assert.Equal(Usd(0), after.Discount);
        Assert.Equal($"This coupon expired on {expiresAt:yyyy-MM-dd HH:mm} UTC.", after.Reason);
    }

    [Fact]
    public async Task Redeem_same_order_twice_counts_one_use()
    {
        var coupon = await CouponAsync(CouponKind.Fixed, 500, usageLimit: 2);

        var first = await coupon.RedeemAsync("ord_1");
        var again = await coupon.RedeemAsync("ord_1");

        Assert.True(first);
        Assert.True(again);
        Assert.Equal(1, (await coupon.GetAsync())!.Used);
        Assert.True((await coupon.QuoteAsync(Usd(4_900))).Applies);
    }

    [Fact]
    public async Task Redeem_beyond_usage_limit_returns_false_and_quote_says_used_up()
    {
        var coupon = await CouponAsync(CouponKind.Fixed, 500, usageLimit: 2);
        await coupon.RedeemAsync("ord_1");
        await coupon.RedeemAsync("ord_2");

        var third = await coupon.RedeemAsync("ord_3");
        var repeatOfFirst = await coupon.RedeemAsync("ord_1");
        var quote = await coupon.QuoteAsync(Usd(4_900));

        Assert.False(third);
        Assert.True(repeatOfFirst);
        Assert.Equal(2, (await coupon.GetAsync())!.Used);
        Assert.False(quote.Applies);
        Assert.Equal("This coupon has been used up.", quote.Reason);
    }

    [Fact]
    public async Task Quote_below_minimum_subtotal_explains_the_minimum()
    {
        var coupon = await CouponAsync(CouponKind.Percentage, 2_000, minimumSubtotal: 5_000);

        var below = await coupon.QuoteAsync(Usd(4_999));
        var atMinimum = await coupon.QuoteAsync(Usd(5_000));

        Assert.False(below.Applies);
        Assert.Equal("This coupon needs a subtotal of at least 50.00 USD.", below.Reason);
        Assert.True(atMinimum.Applies);
        Assert.Equal(Usd(1_000), atMinimum.Discount);
    }

    [Fact]
    public async Task Quote_cart_in_another_currency_does_not_apply()
    {
        var coupon = await CouponAsync(CouponKind.Fixed, 500, currency: "EUR");

        var quote = await coupon.QuoteAsync(Usd(4_900));

        Assert.False(quote.Applies);
        Assert.Equal(Usd(0), quote.Discount);
        Assert.Equal("This coupon applies to EUR carts only.", quote.Reason);
        Assert.True((await coupon.QuoteAsync(new Money(4_900, "eur"))).Applies);
    }

    [Fact]
    public async Task Quote_unknown_code_does_not_apply()
    {
        var coupon = silo.Grains.GetGrain<ICouponGrain>("NOSUCHCODE");

        var quote = await coupon.QuoteAsync(Usd(4_900));

        Assert.False(quote.Applies);
        Assert.Equal("This coupon code does not exist.", quote.Reason);
        Assert.False(await coupon.RedeemAsync("ord_1"));
    }

    [Theory]
    [InlineData(CouponKind.Percentage, 0, "value")]
    [InlineData(CouponKind.Percentage, 10_001, "value")]
    [InlineData(CouponKind.Fixed, -1, "value")]
    public async Task Save_out_of_range_value_is_refused_per_field(CouponKind kind, long value, string field)
    {
        var coupon = silo.Grains.GetGrain<ICouponGrain>(CommerceSilo.NewKey("BAD").ToUpperInvariant());

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => coupon.SaveAsync(new CouponDraft(kind, value, "usd", null, 0, -1)));

        Assert.Equal("invalid-coupon", error.Code);
        Assert.Equal(400, error.Status);
        Assert.Equal(new[] { "minimumSubtotal", "usageLimit", field }.Order(), error.Details.Keys.Order());
        Assert.Null(await coupon.GetAsync());
    }
}
