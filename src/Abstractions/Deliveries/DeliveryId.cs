using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Courier.Abstractions.Deliveries;

/// <summary>
/// The delivery of one paid order line: "{orderId}:{line}", e.g. "ord_ab12:1" (lines count from 1).
/// It keys the delivery's grain and its site-access grain and appears in the public API's paths.
/// </summary>
public readonly record struct DeliveryId(string OrderId, int Line) : IParsable<DeliveryId>
{
    public override string ToString() => $"{OrderId}:{Line.ToString(CultureInfo.InvariantCulture)}";

    public static DeliveryId Parse(string s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var id)
            ? id
            : throw new FormatException($"'{s}' is not a delivery id. A delivery id is the order id, a colon and the line number from 1, e.g. ord_ab12:1.");

    public static bool TryParse([NotNullWhen(true)] string? s, out DeliveryId result) => TryParse(s, null, out result);

    /// <remarks>The last colon separates the line, so an order id may itself hold colons. The line is written one way only (no sign, no leading zero), so every id has one spelling.</remarks>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DeliveryId result)
    {
        result = default;
        if (string.IsNullOrEmpty(s)) return false;
        var colon = s.LastIndexOf(':');
        if (colon <= 0 || colon == s.Length - 1 || s[colon + 1] == '0') return false;
        if (!int.TryParse(s.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line)) return false;
        result = new DeliveryId(s[..colon], line);
        return true;
    }
}
