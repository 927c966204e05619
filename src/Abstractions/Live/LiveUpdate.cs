using System.Text.Json;

namespace Courier.Abstractions.Live;

/// <summary>A published live event as subscribers receive it.</summary>
/// <param name="Kind">The event name, e.g. "deliveryChanged".</param>
/// <param name="Topics">Where it goes, e.g. "order:42".</param>
/// <param name="Source">The publishing grain as "type/key".</param>
/// <param name="Version">The source grain's committed version: receivers drop what is not newer.</param>
/// <param name="At">The commit time.</param>
/// <param name="Data">The event's own fields (camelCase JSON).</param>
/// <param name="Node">The node that committed it.</param>
public sealed record LiveUpdate(
    string Kind,
    IReadOnlyList<string> Topics,
    string Source,
    long Version,
    DateTimeOffset At,
    JsonElement Data,
    string Node);
