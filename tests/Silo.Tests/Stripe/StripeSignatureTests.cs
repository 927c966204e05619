using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Stripe;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_test_courier";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);
    private static readonly string Payload = StripeFixtures.ResourceJson("event");

    [Fact]
    public void Sign_KnownInput_ProducesTheHeaderStripesLibraryProduces()
    {
        // Made by stripe-node 23.1.0: webhooks.generateTestHeaderString({payload, secret: "whsec_x", timestamp: 1700000000}).
        var header = StripeSignature.Sign("""{"id":"evt_1","object":"event"}""", "whsec_x", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        Assert.Equal("t=1700000000,v1=c9bcc97a8a4ff4bae104ef32dcacf8b24b4c3cf0512aef639b8502673db15436", header);
    }

    [Fact]
    public void Verify_HeaderFromSign_IsValid()
    {
        var check = StripeSignature.Verify(StripeSignature.Sign(Payload, Secret, Now), Payload, Secret, Now.AddSeconds(3));

        Assert.True(check.IsValid, check.Reason);
        Assert.Equal(Now, check.SignedAt);
    }

    [Fact]
    public void Verify_WrongSecret_FindsNoMatchingSignature()
    {
        var check = StripeSignature.Verify(StripeSignature.Sign(Payload, "whsec_someone_else", Now), Payload, Secret, Now);

        Assert.False(check.IsValid);
        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, check.Failure);
        Assert.Contains("Stripe:WebhookSecret", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TamperedBody_FindsNoMatchingSignature()
    {
        var header = StripeSignature.Sign(Payload, Secret, Now);
        var tampered = Payload.Replace("\"livemode\":false", "\"livemode\":true", StringComparison.Ordinal);

        var check = StripeSignature.Verify(header, tampered, Secret, Now);

        Assert.NotEqual(Payload, tampered);
        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, check.Failure);
    }

    [Fact]
    public void Verify_TimestampTenMinutesOld_IsOutsideTolerance()
    {
        var header = StripeSignature.Sign(Payload, Secret, Now.AddMinutes(-10));

        var check = StripeSignature.Verify(header, Payload, Secret, Now);

        Assert.Equal(StripeSignatureFailure.TimestampOutsideTolerance, check.Failure);
        Assert.Contains("300 s", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TimestampTenMinutesAhead_IsOutsideTolerance()
    {
        var check = StripeSignature.Verify(StripeSignature.Sign(Payload, Secret, Now.AddMinutes(10)), Payload, Secret, Now);

        Assert.Equal(StripeSignatureFailure.TimestampOutsideTolerance, check.Failure);
    }

    [Fact]
    public void Verify_TenMinutesOldWithFifteenMinuteTolerance_IsValid()
    {
        var header = StripeSignature.Sign(Payload, Secret, Now.AddMinutes(-10));

        var check = StripeSignature.Verify(header, Payload, Secret, Now, tolerance: TimeSpan.FromMinutes(15));

        Assert.True(check.IsValid, check.Reason);
    }

    [Fact]
    public void Verify_SeveralV1SignaturesOneGood_IsValid()
    {
        var good = StripeSignature.Sign(Payload, Secret, Now);
        var goodSignature = good[(good.IndexOf("v1=", StringComparison.Ordinal) + 3)..];
        var rolledSecret = StripeSignature.Sign(Payload, "whsec_old_secret", Now);
        var otherSignature = rolledSecret[(rolledSecret.IndexOf("v1=", StringComparison.Ordinal) + 3)..];
        var header = $"t={Now.ToUnixTimeSeconds()},v1={otherSignature},v1={new string('0', 64)},v1={goodSignature},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

        var check = StripeSignature.Verify(header, Payload, Secret, Now);

        Assert.True(check.IsValid, check.Reason);
    }

    [Fact]
    public void Verify_OnlyBadV1Signatures_FindsNoMatchingSignature()
    {
        var header = $"t={Now.ToUnixTimeSeconds()},v1={new string('a', 64)},v1=not-hex";

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, StripeSignature.Verify(header, Payload, Secret, Now).Failure);
    }

    [Theory]
    [InlineData(null, nameof(StripeSignatureFailure.MissingHeader))]
    [InlineData("  ", nameof(StripeSignatureFailure.MissingHeader))]
    [InlineData("v1=abc", nameof(StripeSignatureFailure.NoTimestamp))]
    [InlineData("t=soon,v1=abc", nameof(StripeSignatureFailure.NoTimestamp))]
    [InlineData("t=1760000000,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39", nameof(StripeSignatureFailure.NoV1Signature))]
    [InlineData("t=1760000000", nameof(StripeSignatureFailure.NoV1Signature))]
    public void Verify_MalformedHeader_SaysWhatIsMissing(string? header, string expectedFailure)
    {
        var check = StripeSignature.Verify(header, Payload, Secret, Now);

        Assert.False(check.IsValid);
        Assert.Equal(expectedFailure, check.Failure.ToString());
        Assert.False(string.IsNullOrWhiteSpace(check.Reason));
    }
}
