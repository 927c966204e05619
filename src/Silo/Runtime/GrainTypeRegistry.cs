using System.Collections.Frozen;
using System.Reflection;
using Courier.Abstractions.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Runtime;

/// <summary>What the runtime knows about one grain class.</summary>
internal sealed class GrainTypeInfo
{
    public GrainTypeInfo(Type grainClass, Type stateType, TimeSpan? idleDeactivation)
    {
        GrainClass = grainClass;
        StateType = stateType;
        Name = NameOf(grainClass);
        IdleDeactivation = idleDeactivation;
        Factory = ActivatorUtilities.CreateFactory(grainClass, [typeof(IGrainContext<>).MakeGenericType(stateType)]);
    }

    /// <summary>The grain type the class declares with [GrainType]: the "grain type" part of every state, journal, reminder and outbox row.</summary>
    public string Name { get; }

    /// <summary>
    /// The stable grain type of a grain class. It is declared, never derived from the class name, so
    /// a renamed or moved class keeps its stored rows; the grains that existed before carry the full
    /// class name their rows were first stored under. Orleans reads the same attribute.
    /// </summary>
    public static string NameOf(Type grainClass)
    {
        var declared = grainClass.GetCustomAttribute<Orleans.GrainTypeAttribute>(inherit: false)
            ?? throw new InvalidOperationException(
                $"Grain class {grainClass.FullName} has no [GrainType(\"…\")]. Give it a stable grain type; once state is stored, never change it.");
        return declared.GetGrainType(null!, grainClass).ToString()!;
    }
    public Type GrainClass { get; }
    public Type StateType { get; }
    public TimeSpan? IdleDeactivation { get; }
    public ObjectFactory Factory { get; }
}

/// <summary>Maps grain interfaces and type names to grain classes; built once at start-up.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly FrozenDictionary<Type, GrainTypeInfo> byInterface;
    private readonly FrozenDictionary<string, GrainTypeInfo> byName;

    public GrainTypeRegistry(IEnumerable<GrainClassRegistration> registrations)
    {
        var interfaces = new Dictionary<Type, GrainTypeInfo>();
        var names = new Dictionary<string, GrainTypeInfo>(StringComparer.Ordinal);
        foreach (var grainClass in registrations.Select(r => r.GrainClass).Distinct())
        {
            var info = Describe(grainClass);
            names[info.Name] = info;
            foreach (var grainInterface in grainClass.GetInterfaces().Where(IsGrainInterface))
            {
                if (interfaces.TryGetValue(grainInterface, out var other) && other.GrainClass != grainClass)
                    throw new InvalidOperationException(
                        $"Grain interface {grainInterface.FullName} is implemented by both {other.Name} and {info.Name}; each grain interface must have one class.");
                interfaces[grainInterface] = info;
            }
        }
        byInterface = interfaces.ToFrozenDictionary();
        byName = names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<GrainTypeInfo> All => byName.Values;

    public GrainTypeInfo ForInterface(Type grainInterface) =>
        byInterface.TryGetValue(grainInterface, out var info)
            ? info
            : throw new InvalidOperationException(
                $"No grain class implements {grainInterface.FullName}. Register its assembly with AddGrainsFrom(…).");

    public GrainTypeInfo? ForName(string name) => byName.GetValueOrDefault(name);

    public static bool IsGrainClass(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        && type.GetInterfaces().Any(IsGrainInterface);

    private static bool IsGrainInterface(Type type) =>
        type.IsInterface && type != typeof(IGrainWithStringKey) && typeof(IGrainWithStringKey).IsAssignableFrom(type);

    private static GrainTypeInfo Describe(Type grainClass)
    {
        var constructors = grainClass.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        var stateType = constructors
            .SelectMany(c => c.GetParameters())
            .Select(p => p.ParameterType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IGrainContext<>))
            .Select(t => t.GetGenericArguments()[0])
            .FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"Grain class {grainClass.FullName} must take an IGrainContext<TState> in its constructor.");
        var idle = grainClass.GetCustomAttribute<IdleDeactivationAttribute>()?.After;
        return new GrainTypeInfo(grainClass, stateType, idle);
    }
}

/// <summary>One grain class made known to the runtime (see <c>AddGrainsFrom</c>).</summary>
internal sealed record GrainClassRegistration(Type GrainClass);
