using System.Collections.Concurrent;
using System.Reflection;

namespace Courier.Silo.Grains;

/// <summary>
/// The name a grain's rows are stored under: the grain type of its class (its Orleans
/// <c>[GrainType]</c>, which is the class's full name as first stored) and the full key text —
/// never a hash, never a parsed number. It is also the text of the grain's Orleans id.
/// </summary>
internal readonly record struct GrainName(string Type, string Key)
{
    private static readonly ConcurrentDictionary<Type, string> TypeNames = new();

    public override string ToString() => $"{Type}/{Key}";

    public static GrainName Of<TGrain>(string key) => new(TypeOf(typeof(TGrain)), key);

    public static GrainName Of(GrainId id) => new(id.Type.ToString()!, id.Key.ToString()!);

    public GrainId ToGrainId() => GrainId.Create(Type, Key);

    /// <summary>The stored type name of a grain class: its <c>[GrainType]</c>, required so that renaming the class cannot orphan its rows.</summary>
    public static string TypeOf(Type grainClass) => TypeNames.GetOrAdd(grainClass, static t =>
        t.GetCustomAttribute<GrainTypeAttribute>(inherit: false) is { } attribute
            ? attribute.GetGrainType(null!, t).ToString()!
            : throw new InvalidOperationException(
                $"Grain class {t.FullName} has no [GrainType(\"…\")]. Give it a stable name (its full class name for a new grain); once state is stored, never change it."));

    /// <summary>A concrete Orleans grain class (what <see cref="TypeOf"/> names).</summary>
    public static bool IsGrainClass(Type type) =>
        type is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(type);
}
