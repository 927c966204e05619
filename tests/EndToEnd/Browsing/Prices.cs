using System.Globalization;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>An amount in US cents written the way each page shows it.</summary>
public static class Prices
{
    /// <summary>The store's own pages (cart, checkout, return page): "$1,180.00".</summary>
    public static string InStore(long cents) =>
        string.Create(CultureInfo.InvariantCulture, $"${cents / 100:#,0}.{cents % 100:00}");

    /// <summary>The simulated provider's payment page: "49.00 USD".</summary>
    public static string OnPaymentPage(long cents) =>
        string.Create(CultureInfo.InvariantCulture, $"{cents / 100}.{cents % 100:00} USD");
}
