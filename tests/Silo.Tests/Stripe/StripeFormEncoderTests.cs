using Courier.Silo.Adapters.Stripe;
using Microsoft.AspNetCore.WebUtilities;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeFormEncoderTests
{
    [Fact]
    public void Encode_NestedLineItems_UsesBracketedKeysWithIndices()
    {
        var parameters = new StripeParams
        {
            { "mode", "payment" },
            {
                "line_items", new[]
                {
                    new StripeParams
                    {
                        { "price_data", new StripeParams { { "currency", "usd" }, { "product_data", new StripeParams { { "name", "Ebook" } } }, { "unit_amount", 4900 } } },
                        { "quantity", 2 },
                    },
                    new StripeParams { { "price_data", new StripeParams { { "unit_amount", 100L } } }, { "quantity", 1 } },
                }
            },
            { "metadata", new StripeParams { { "order_id", "ord_1" } } },
        };

        var encoded = StripeFormEncoder.Encode(parameters);

        Assert.Equal(
            "mode=payment"
            + "&line_items[0][price_data][currency]=usd"
            + "&line_items[0][price_data][product_data][name]=Ebook"
            + "&line_items[0][price_data][unit_amount]=4900"
            + "&line_items[0][quantity]=2"
            + "&line_items[1][price_data][unit_amount]=100"
            + "&line_items[1][quantity]=1"
            + "&metadata[order_id]=ord_1",
            encoded);
    }

    [Fact]
    public void Encode_ListOfStrings_IndexesEachValue()
    {
        var encoded = StripeFormEncoder.Encode(new StripeParams { { "payment_method_types", new List<string> { "card", "link" } } });

        Assert.Equal("payment_method_types[0]=card&payment_method_types[1]=link", encoded);
    }

    [Fact]
    public void Encode_Booleans_AsLowercaseTrueFalse()
    {
        var encoded = StripeFormEncoder.Encode(new StripeParams
        {
            { "allow_promotion_codes", true },
            { "phone_number_collection", new StripeParams { { "enabled", false } } },
        });

        Assert.Equal("allow_promotion_codes=true&phone_number_collection[enabled]=false", encoded);
    }

    [Fact]
    public void Encode_InstantsAndLargeIntegers_AsInvariantWholeNumbers()
    {
        var encoded = StripeFormEncoder.Encode(new StripeParams
        {
            { "expires_at", new DateTimeOffset(2026, 11, 20, 14, 2, 0, TimeSpan.FromHours(1)) },
            { "amount", 9_007_199_254_740_993L },
            { "quantity", -3 },
        });

        Assert.Equal("expires_at=1795179720&amount=9007199254740993&quantity=-3", encoded);
    }

    [Fact]
    public void Encode_NullValuesAndEmptyLists_AreLeftOut()
    {
        var encoded = StripeFormEncoder.Encode(new StripeParams
        {
            { "customer_email", null },
            { "mode", "payment" },
            { "metadata", new StripeParams { { "order_id", null } } },
            { "types", Array.Empty<string>() },
        });

        Assert.Equal("mode=payment", encoded);
    }

    [Fact]
    public void Encode_SpecialCharacters_ArePercentEncodedAndDecodeBackUnchanged()
    {
        const string name = "Tea & Biscuits = 100% ☕ + \"more\"/[x]";
        var success = new Uri("https://shop.example/thanks?session={CHECKOUT_SESSION_ID}&a=b");
        var parameters = new StripeParams
        {
            { "product_data", new StripeParams { { "name", name } } },
            { "success_url", success },
            { "metadata", new Dictionary<string, string> { ["note"] = "line1\nline2" } },
        };

        var encoded = StripeFormEncoder.Encode(parameters);
        var decoded = QueryHelpers.ParseQuery(encoded);

        Assert.DoesNotContain(' ', encoded);
        Assert.Contains("product_data[name]=Tea%20%26%20Biscuits%20%3D%20100%25%20%E2%98%95%20%2B%20%22more%22%2F%5Bx%5D", encoded, StringComparison.Ordinal);
        Assert.Equal(name, decoded["product_data[name]"]);
        Assert.Equal("https://shop.example/thanks?session={CHECKOUT_SESSION_ID}&a=b", decoded["success_url"]);
        Assert.Equal("line1\nline2", decoded["metadata[note]"]);
        Assert.Equal(3, decoded.Count);
    }

    [Fact]
    public void Encode_FractionalMoney_IsRefusedWithAHint()
    {
        var error = Assert.Throws<ArgumentException>(() => StripeFormEncoder.Encode(new StripeParams { { "amount", 49.99m } }));

        Assert.Contains("minor units", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flatten_NestedParameters_GivesStripeKeysBeforeEncoding()
    {
        var pairs = StripeFormEncoder.Flatten(new StripeParams { { "created", new StripeParams { { "gte", 1700000000 } } }, { "types", new[] { "a.b" } } });

        Assert.Equal(
            [new("created[gte]", "1700000000"), new("types[0]", "a.b")],
            pairs);
    }
}
