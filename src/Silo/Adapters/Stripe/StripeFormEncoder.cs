using System.Collections;
using System.Globalization;
using System.Text;

namespace Courier.Silo.Adapters.Stripe;

/// <summary>
/// Request parameters for one Stripe call, in the order they are added. Values are strings,
/// integers, booleans, <see cref="DateTimeOffset"/> (sent as Unix seconds), nested
/// <see cref="StripeParams"/> or dictionaries, and lists of any of these. Null values are left out.
/// </summary>
internal sealed class StripeParams : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> entries = [];

    public void Add(string key, object? value) => entries.Add(new(key, value));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Stripe's form encoding (what Stripe.net's FormEncoder and stripe-node's qs call do): nested
/// objects as <c>a[b][c]=v</c>, lists with indices <c>a[0][b]=v</c>, booleans as <c>true</c>/<c>false</c>,
/// numbers in invariant culture; keys and values percent-encoded except the brackets of keys.
/// </summary>
internal static class StripeFormEncoder
{
    public static string Encode(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var body = new StringBuilder();
        foreach (var (key, value) in Flatten(parameters))
        {
            if (body.Length > 0)
            {
                body.Append('&');
            }

            body.Append(EscapeKey(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return body.ToString();
    }

    /// <summary>The flat (key, value) pairs before percent-encoding, e.g. ("metadata[order_id]", "ord_1").</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Flatten(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in parameters)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            AppendValue(pairs, key, value);
        }

        return pairs;
    }

    private static void AppendValue(List<KeyValuePair<string, string>> pairs, string key, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                pairs.Add(new(key, text));
                return;
            case bool flag:
                pairs.Add(new(key, flag ? "true" : "false"));
                return;
            case DateTimeOffset instant:
                pairs.Add(new(key, instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                return;
            case Uri uri:
                // OriginalString keeps Stripe's {CHECKOUT_SESSION_ID} template intact; AbsoluteUri would escape its braces.
                pairs.Add(new(key, uri.OriginalString));
                return;
            case float or double or decimal:
                throw new ArgumentException(
                    $"Stripe parameter '{key}' is a fractional number ({value}). Send money as integer minor units "
                    + "(4900 for 49.00), or a string where Stripe takes a decimal (e.g. unit_amount_decimal).",
                    nameof(value));
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                pairs.Add(new(key, ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)));
                return;
            case IEnumerable<KeyValuePair<string, object?>> nested:
                foreach (var (childKey, childValue) in nested)
                {
                    AppendValue(pairs, $"{key}[{childKey}]", childValue);
                }

                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    AppendValue(pairs, $"{key}[{Convert.ToString(entry.Key, CultureInfo.InvariantCulture)}]", entry.Value);
                }

                return;
            case IEnumerable list:
                var index = 0;
                foreach (var item in list)
                {
                    AppendValue(pairs, $"{key}[{index.ToString(CultureInfo.InvariantCulture)}]", item);
                    index++;
                }

                return;
            default:
                throw new ArgumentException(
                    $"Stripe parameter '{key}' has a type the form encoder does not know ({value.GetType().Name}); "
                    + "convert it to a string, integer, boolean, DateTimeOffset, StripeParams or list first.",
                    nameof(value));
        }
    }

    private static string EscapeKey(string key) =>
        Uri.EscapeDataString(key).Replace("%5B", "[", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal);
}
