using System.Reflection;

namespace Courier.Silo.Runtime;

/// <summary>
/// The reference callers hold: a generated implementation of the grain interface whose every
/// method becomes a scheduled grain call. Stands in for the proxies Orleans generates at build time.
/// </summary>
public class GrainProxy : DispatchProxy
{
    private GrainRuntime runtime = null!;
    private GrainTypeInfo type = null!;
    private GrainId id;
    private bool newKey;

    internal static object Create(Type grainInterface, GrainRuntime runtime, GrainTypeInfo type, string key, bool newKey)
    {
        var proxy = (GrainProxy)DispatchProxy.Create(grainInterface, typeof(GrainProxy));
        proxy.runtime = runtime;
        proxy.type = type;
        proxy.id = new GrainId(type.Name, key);
        proxy.newKey = newKey;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return GrainMethod.For(targetMethod).Schedule(runtime, id, type, args ?? [], newKey);
    }

    public override string ToString() => id.ToString();
}
