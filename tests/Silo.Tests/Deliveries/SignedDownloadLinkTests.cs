using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Courier.Silo.Deliveries;

namespace Courier.Silo.Tests.Deliveries;

public sealed class SignedDownloadLinkTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly SignedDownloadLink Link = new("ord_ab12:1", 3, new DateTimeOffset(2026, 11, 20, 14, 2, 0, TimeSpan.Zero));

    [Fact]
    public void Token_reads_back_as_the_same_link_under_the_same_key()
    {
        var token = Link.Token(Key);

        Assert.Equal(Link, SignedDownloadLink.Read(token, Key));
        Assert.Equal("/d/" + token, Link.Path(Key));
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('+', token);
    }

    [Fact]
    public void Token_with_a_changed_signature_payload_or_key_reads_as_nothing()
    {
        var token = Link.Token(Key);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var flippedSignature = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var otherPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("v1\nord_ab12:1\n4\n" + Link.ExpiresAt.AddYears(1).ToUnixTimeMilliseconds())) + token[dot..];

        Assert.Null(SignedDownloadLink.Read(flippedSignature, Key));
        Assert.Null(SignedDownloadLink.Read(otherPayload, Key));
        Assert.Null(SignedDownloadLink.Read(token, RandomNumberGenerator.GetBytes(32)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("!!!.???")]
    [InlineData("../../etc/passwd")]
    public void Malformed_token_reads_as_nothing(string token) => Assert.Null(SignedDownloadLink.Read(token, Key));

    [Fact]
    public void Overlong_token_reads_as_nothing_even_with_a_valid_signature()
    {
        var huge = new SignedDownloadLink(new string('x', 1000), 1, Link.ExpiresAt);

        Assert.Null(SignedDownloadLink.Read(huge.Token(Key), Key));
    }

    [Fact]
    public void Link_is_expired_from_its_expiry_on()
    {
        Assert.False(Link.IsExpired(Link.ExpiresAt.AddTicks(-1)));
        Assert.True(Link.IsExpired(Link.ExpiresAt));
    }
}
