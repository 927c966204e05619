using Courier.Abstractions.Commerce;

using System.Globalization;

namespace Courier.WebFront.Pages.Shared;

/// <summary>How pages write an amount: "$49.00", "€12.50", "CHF 10.00" (the same text as the client's formatMoney).</summary>
internal static class MoneyText
{
    public static string Format(Money money)
    {
        var abs = Math.Abs(money.Amount);
        var number = string.Create(CultureInfo.InvariantCulture, $"{abs / 100:#,0}.{abs % 100:00}");
        var text = money.Currency.ToLowerInvariant() switch
        {
            "usd" => "$" + number,
            "eur" => "€" + number,
            "gbp" => "£" + number,
            "jpy" => "¥" + number,
            var other => other.ToUpperInvariant() + " " + number,
        };
        return money.Amount < 0 ? "−" + text : text;
    }
}
