using System.Text.Json.Nodes;

namespace Courier.TestSupport.Stripe;

/// <summary>
/// Stripe's own example objects (<c>Stripe/Fixtures/fixtures3.json</c>, from Stripe's public OpenAPI
/// repository, MIT licence; embedded in this assembly), so tests read JSON shaped by Stripe rather than by us.
/// </summary>
public static class StripeFixtures
{
    private static readonly Lazy<JsonObject> Resources = new(Load);

    private const string ResourceName = "Courier.TestSupport.Stripe.fixtures3.json";

    /// <summary>A fresh copy of the example object of a resource, e.g. "checkout.session", "refund", "event".</summary>
    public static JsonObject Resource(string name) =>
        Resources.Value[name]?.DeepClone().AsObject()
        ?? throw new KeyNotFoundException($"fixtures3.json has no resource '{name}'.");

    /// <summary>The example object's JSON text, unchanged.</summary>
    public static string ResourceJson(string name) => Resource(name).ToJsonString();

    /// <summary>An event envelope (Stripe's example event) of <paramref name="type"/> carrying <paramref name="dataObject"/>.</summary>
    public static JsonObject Event(string type, JsonObject dataObject, string? id = null, long? created = null)
    {
        var envelope = Resource("event");
        envelope["type"] = type;
        envelope["data"] = new JsonObject { ["object"] = dataObject };
        if (id is not null)
        {
            envelope["id"] = id;
        }

        if (created is not null)
        {
            envelope["created"] = created;
        }

        return envelope;
    }

    private static JsonObject Load()
    {
        using var stream = typeof(StripeFixtures).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The TestSupport assembly embeds no {ResourceName}; see Courier.TestSupport.csproj.");
        var root = JsonNode.Parse(stream)?.AsObject();
        return root?["resources"]?.AsObject()
            ?? throw new InvalidOperationException("fixtures3.json has no top-level 'resources' object.");
    }
}
