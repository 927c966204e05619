using System.Text.Json;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Node;
using Courier.TestSupport.Stripe;

namespace Courier.Silo.Tests.Stripe;

/// <summary>Courier's signing and verification against the official stripe npm package (tests/node/stripe-header.mjs).</summary>
public sealed class StripeSignatureNodeAgreementTests
{
    private const string Secret = "whsec_courier_node_agreement";
    private const string Script = "stripe-header.mjs";
    private static readonly string Payload = StripeFixtures.ResourceJson("event");

    [Fact]
    public async Task Verify_HeaderGeneratedByStripeNode_IsValid()
    {
        var now = DateTimeOffset.UtcNow;
        var header = await GenerateWithStripeNode(Payload, Secret, now);

        var check = StripeSignature.Verify(header, Payload, Secret, now);

        Assert.StartsWith($"t={now.ToUnixTimeSeconds()},v1=", header, StringComparison.Ordinal);
        Assert.True(check.IsValid, check.Reason);
    }

    [Fact]
    public async Task Verify_HeaderGeneratedByStripeNodeWithOtherSecret_IsRejected()
    {
        var now = DateTimeOffset.UtcNow;
        var header = await GenerateWithStripeNode(Payload, "whsec_not_ours", now);

        var check = StripeSignature.Verify(header, Payload, Secret, now);

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, check.Failure);
    }

    [Fact]
    public async Task Sign_Header_IsAcceptedByStripeNodeConstructEvent()
    {
        var now = DateTimeOffset.UtcNow;
        var header = StripeSignature.Sign(Payload, Secret, now);

        var verdict = await VerifyWithStripeNode(Payload, header, Secret, now);

        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", verdict.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Sign_HeaderForOtherSecret_IsRejectedByStripeNodeConstructEvent()
    {
        var now = DateTimeOffset.UtcNow;
        var header = StripeSignature.Sign(Payload, "whsec_not_ours", now);

        var verdict = await VerifyWithStripeNode(Payload, header, Secret, now);

        Assert.False(verdict.GetProperty("valid").GetBoolean());
        Assert.Contains("No signatures found matching", verdict.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> GenerateWithStripeNode(string payload, string secret, DateTimeOffset timestamp)
    {
        var input = JsonSerializer.Serialize(new { payload, secret, timestamp = timestamp.ToUnixTimeSeconds() });
        return (await NodeTestPackages.RunScriptAsync(Script, input, "generate")).Trim();
    }

    private static async Task<JsonElement> VerifyWithStripeNode(string payload, string header, string secret, DateTimeOffset receivedAt)
    {
        var input = JsonSerializer.Serialize(new { payload, header, secret, receivedAt = receivedAt.ToUnixTimeMilliseconds() });
        return JsonSerializer.Deserialize<JsonElement>(await NodeTestPackages.RunScriptAsync(Script, input, "verify"));
    }
}
