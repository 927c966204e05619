using Courier.Abstractions.Deliveries;

namespace Courier.Abstractions.Tests.Deliveries;

public sealed class DeliveryIdTests
{
    [Theory]
    [InlineData("ord_ab12:1", "ord_ab12", 1)]
    [InlineData("ord_ab12:12", "ord_ab12", 12)]
    [InlineData("legacy:ord:3", "legacy:ord", 3)]
    public void Parse_reads_the_order_and_the_line_and_writes_them_back_the_same_way(string text, string orderId, int line)
    {
        var id = DeliveryId.Parse(text);

        Assert.Equal(new DeliveryId(orderId, line), id);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ord_ab12")]
    [InlineData(":1")]
    [InlineData("ord_ab12:")]
    [InlineData("ord_ab12:0")]
    [InlineData("ord_ab12:01")]
    [InlineData("ord_ab12:-1")]
    [InlineData("ord_ab12:+1")]
    [InlineData("ord_ab12: 1")]
    [InlineData("ord_ab12:1x")]
    [InlineData("ord_ab12:99999999999")]
    public void TryParse_refuses_anything_that_is_not_one_spelling_of_a_delivery_id(string? text)
    {
        Assert.False(DeliveryId.TryParse(text, out _));
    }

    [Fact]
    public void Parse_of_a_malformed_id_says_what_a_delivery_id_looks_like()
    {
        var error = Assert.Throws<FormatException>(() => DeliveryId.Parse("ord_ab12"));

        Assert.Contains("ord_ab12:1", error.Message, StringComparison.Ordinal);
    }
}
