using System.Text.Json;
using Courier.Silo.Adapters.Stripe;
using Courier.TestSupport.Node;
using Courier.TestSupport.Stripe;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Courier.Silo.Tests.Stripe;

/// <summary>
/// Courier's webhook verification and the signatures it makes (simulated provider, site host), both
/// Stripe.net's <see cref="EventUtility"/>, against the official stripe npm package (tests/node/stripe-header.mjs).
/// </summary>
public sealed class StripeSignatureNodeAgreementTests : IDisposable
{
    private const string Secret = "whsec_courier_node_agreement";
    private const string Script = "stripe-header.mjs";
    private static readonly string Payload = StripeFixtures.ResourceJson("event");

    private readonly ServiceProvider services = StripeServices.Build(new() { ["Stripe:WebhookSecret"] = Secret });

    private StripeWebhookReceiver Receiver => services.GetRequiredService<StripeWebhookReceiver>();

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task Receive_HeaderGeneratedByStripeNode_IsAccepted()
    {
        var now = DateTimeOffset.UtcNow;
        var header = await GenerateWithStripeNode(Payload, Secret, now);

        var stripeEvent = Receiver.Receive(header, Payload);

        Assert.StartsWith($"t={now.ToUnixTimeSeconds()},v1=", header, StringComparison.Ordinal);
        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", stripeEvent.Id);
    }

    [Fact]
    public async Task Receive_HeaderGeneratedByStripeNodeWithOtherSecret_IsRejected()
    {
        var now = DateTimeOffset.UtcNow;
        var header = await GenerateWithStripeNode(Payload, "whsec_not_ours", now);

        var error = Assert.Throws<StripeWebhookRejectedException>(() => Receiver.Receive(header, Payload));

        Assert.Contains("expected signature was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateSignatureHeader_IsAcceptedByStripeNodeConstructEvent()
    {
        var now = DateTimeOffset.UtcNow;
        var header = EventUtility.GenerateSignatureHeader(Payload, Secret, now.ToUnixTimeSeconds());

        var verdict = await VerifyWithStripeNode(Payload, header, Secret, now);

        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        Assert.Equal("evt_1Pgc76B7WZ01zgkWwyRHS12y", verdict.GetProperty("id").GetString());
    }

    [Fact]
    public async Task GenerateSignatureHeader_ForOtherSecret_IsRejectedByStripeNodeConstructEvent()
    {
        var now = DateTimeOffset.UtcNow;
        var header = EventUtility.GenerateSignatureHeader(Payload, "whsec_not_ours", now.ToUnixTimeSeconds());

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
