using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Courier.Abstractions.Runtime;
using Courier.Silo.Storage;

namespace Courier.Silo.Runtime;

/// <summary>
/// A grain interface method compiled once into a call the runtime can schedule: the arguments
/// are bound now, the grain instance is supplied when the call's turn comes.
/// </summary>
internal sealed class GrainMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethod> Cache = new();
    private static readonly MethodInfo ScheduleTypedDefinition =
        typeof(GrainMethod).GetMethod(nameof(ScheduleTyped), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private readonly Func<object, object?[], Task> invoke;
    private readonly Func<GrainRuntime, GrainId, GrainTypeInfo, object?[], bool, Task> schedule;

    private GrainMethod(MethodInfo method)
    {
        Name = $"{method.DeclaringType?.Name}.{method.Name}";
        IsQuery = method.GetCustomAttribute<QueryAttribute>() is not null;
        if (!typeof(Task).IsAssignableFrom(method.ReturnType))
            throw new InvalidOperationException($"Grain method {Name} must return Task or Task<T>.");

        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var call = Expression.Call(
            Expression.Convert(grain, method.DeclaringType!),
            method,
            method.GetParameters().Select((p, i) =>
                Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType)));
        invoke = Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();

        if (method.ReturnType.IsGenericType)
        {
            var resultType = method.ReturnType.GetGenericArguments()[0];
            schedule = ScheduleTypedDefinition.MakeGenericMethod(resultType)
                .CreateDelegate<Func<GrainRuntime, GrainId, GrainTypeInfo, object?[], bool, Task>>(this);
        }
        else
        {
            schedule = ScheduleVoid;
        }
    }

    public string Name { get; }
    public bool IsQuery { get; }

    public static GrainMethod For(MethodInfo method) => Cache.GetOrAdd(method, static m => new GrainMethod(m));

    public Task Schedule(GrainRuntime runtime, GrainId id, GrainTypeInfo type, object?[] args, bool newKey) => schedule(runtime, id, type, args, newKey);

    private Task ScheduleTyped<T>(GrainRuntime runtime, GrainId id, GrainTypeInfo type, object?[] args, bool newKey) =>
        runtime.InvokeAsync(id, type, new GrainTurn<T>(Name, IsQuery, grain => (Task<T>)invoke(grain, args)) { NewKey = newKey });

    private async Task ScheduleVoid(GrainRuntime runtime, GrainId id, GrainTypeInfo type, object?[] args, bool newKey) =>
        await runtime.InvokeAsync(id, type, new GrainTurn<bool>(Name, IsQuery, async grain =>
        {
            await invoke(grain, args).ConfigureAwait(false);
            return true;
        }) { NewKey = newKey }).ConfigureAwait(false);
}

/// <summary>One unit of work for an activation: a method call, a reminder tick or a timer tick.</summary>
internal sealed record GrainTurn<T>(string Description, bool IsQuery, Func<object, Task<T>> Body)
{
    public ReminderCompletion? Completion { get; init; }

    /// <summary>Called through <see cref="GrainRuntime.GetNew{TGrain}"/>: a fresh activation may skip its storage read.</summary>
    public bool NewKey { get; init; }
}
