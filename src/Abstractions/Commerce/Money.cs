using System.Globalization;

namespace Courier.Abstractions.Commerce;

/// <summary>An amount in minor units (cents) of a lowercase ISO currency. Never a floating-point number.</summary>
public readonly record struct Money(long Amount, [property: CurrencyCode] string Currency)
{
    public static Money Zero(string currency) => new(0, currency);

    public Money Plus(Money other) => new(checked(Amount + Same(other).Amount), Currency);

    public Money Minus(Money other) => new(checked(Amount - Same(other).Amount), Currency);

    public Money Times(int quantity) => new(checked(Amount * quantity), Currency);

    /// <summary>
    /// <paramref name="basisPoints"/>/10,000 of this amount, rounded half away from zero in
    /// integer arithmetic (1250 basis points = 12.5 %).
    /// </summary>
    public Money Percent(int basisPoints)
    {
        var scaled = checked(Amount * basisPoints);
        var quotient = Math.DivRem(scaled, 10_000, out var remainder);
        if (Math.Abs(remainder) * 2 >= 10_000) quotient += Math.Sign(scaled);
        return new Money(quotient, Currency);
    }

    public Money Min(Money other) => Amount <= Same(other).Amount ? this : other;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Amount < 0 ? "-" : "")}{Math.Abs(Amount / 100)}.{Math.Abs(Amount % 100):00} {Currency.ToUpperInvariant()}");

    private Money Same(Money other) =>
        string.Equals(Currency, other.Currency, StringComparison.Ordinal)
            ? other
            : throw new InvalidOperationException($"Cannot combine {Currency} with {other.Currency}.");
}
