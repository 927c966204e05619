using Courier.Abstractions.Commerce;

namespace Courier.Grains.Tests.Commerce;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(10_001, 1_000, 1_000)] // 1,000.1 → 1,000
    [InlineData(15, 5_000, 8)]         // 7.5 → 8
    [InlineData(1, 5_000, 1)]          // 0.5 → 1
    [InlineData(3, 3_333, 1)]          // 0.9999 → 1
    [InlineData(4_999, 1_250, 625)]    // 624.875 → 625
    [InlineData(10, 3_333, 3)]         // 3.333 → 3
    [InlineData(100, 10_000, 100)]     // 100 %
    [InlineData(-15, 5_000, -8)]       // -7.5 → -8: away from zero, not up
    [InlineData(-1, 4_999, 0)]         // -0.4999 → 0
    public void Percent_odd_amounts_round_half_away_from_zero(long amount, int basisPoints, long expected)
    {
        var money = new Money(amount, "usd");

        var share = money.Percent(basisPoints);

        Assert.Equal(new Money(expected, "usd"), share);
    }

    [Fact]
    public void Plus_Minus_Times_same_currency_compute_in_minor_units()
    {
        var price = new Money(4_900, "usd");

        Assert.Equal(new Money(5_150, "usd"), price.Plus(new Money(250, "usd")));
        Assert.Equal(new Money(4_650, "usd"), price.Minus(new Money(250, "usd")));
        Assert.Equal(new Money(14_700, "usd"), price.Times(3));
        Assert.Equal(new Money(-100, "usd"), new Money(0, "usd").Minus(new Money(100, "usd")));
    }

    [Fact]
    public void Plus_Minus_Min_mixed_currencies_throw()
    {
        var dollars = new Money(100, "usd");
        var euros = new Money(100, "eur");

        var plus = Assert.Throws<InvalidOperationException>(() => dollars.Plus(euros));
        Assert.Throws<InvalidOperationException>(() => dollars.Minus(euros));
        Assert.Throws<InvalidOperationException>(() => dollars.Min(euros));
        Assert.Equal("Cannot combine usd with eur.", plus.Message);
    }

    [Fact]
    public void Arithmetic_beyond_long_range_throws_instead_of_wrapping()
    {
        var huge = new Money(long.MaxValue - 1, "usd");

        Assert.Throws<OverflowException>(() => huge.Plus(new Money(2, "usd")));
        Assert.Throws<OverflowException>(() => new Money(long.MinValue + 1, "usd").Minus(new Money(2, "usd")));
        Assert.Throws<OverflowException>(() => huge.Times(2));
        Assert.Throws<OverflowException>(() => huge.Percent(5_000));
    }

    [Fact]
    public void Min_returns_the_smaller_amount()
    {
        var ten = new Money(1_000, "usd");
        var five = new Money(500, "usd");

        Assert.Equal(five, ten.Min(five));
        Assert.Equal(five, five.Min(ten));
    }

    [Theory]
    [InlineData(4_900, "usd", "49.00 USD")]
    [InlineData(5, "eur", "0.05 EUR")]
    [InlineData(123_456, "gbp", "1234.56 GBP")]
    [InlineData(0, "usd", "0.00 USD")]
    [InlineData(-150, "usd", "-1.50 USD")]
    [InlineData(-50, "usd", "-0.50 USD")]
    [InlineData(long.MinValue, "usd", "-92233720368547758.08 USD")]
    public void ToString_shows_major_units_two_decimals_and_upper_case_currency(long amount, string currency, string expected)
    {
        var money = new Money(amount, currency);

        var text = money.ToString();

        Assert.Equal(expected, text);
    }
}
