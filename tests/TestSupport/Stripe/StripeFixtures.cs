using System.Text.Json.Nodes;

namespace Courier.TestSupport.Stripe;

/// <summary>
/// Stripe's own example objects (<c>shared/stripe/fixtures3.json</c>, from Stripe's public OpenAPI
/// repository), so tests read JSON shaped by Stripe rather than by us.
/// </summary>
public static class StripeFixtures
{
    private static readonly Lazy<JsonObject> Resources = new(Load);

    public static string FilePath => Path.Combine(RepositoryPaths.Shared, "stripe", "fixtures3.json");

    /// <summary>A fresh copy of the example object of a resource, e.g. "checkout.session", "refund", "event".</summary>
    public static JsonObject Resource(string name) =>
        Resources.Value[name]?.DeepClone().AsObject()
        ?? throw new KeyNotFoundException($"{FilePath} has no resource '{name}'.");

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
        if (!File.Exists(FilePath))
        {
            throw new FileNotFoundException(
                $"Stripe's example objects are missing at {FilePath}. The repository clone needs the 'shared' folder beside it (shared/stripe/fixtures3.json).",
                FilePath);
        }

        var root = JsonNode.Parse(File.ReadAllText(FilePath))?.AsObject();
        return root?["resources"]?.AsObject()
            ?? throw new InvalidOperationException($"{FilePath} has no top-level 'resources' object.");
    }
}
