using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courier.Silo.Grains;

/// <summary>
/// The one JSON shape for grain state, journal entries, outbox payloads and live events:
/// camelCase, enums as strings, tolerant of missing and unknown fields.
/// </summary>
internal static class GrainJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
