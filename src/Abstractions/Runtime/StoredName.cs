using System.Collections.Concurrent;
using System.Reflection;
using Orleans;

namespace Courier.Abstractions.Runtime;

/// <summary>A step of a grain's timeline, recorded with <see cref="IGrainContext{TState}.Journal{TEntry}"/>. Stored under its <see cref="AliasAttribute"/>.</summary>
public interface IJournalEntry;

/// <summary>An effect a grain emits with <see cref="IGrainContext{TState}.Send{TMessage}"/>. Stored, and matched to its handler, under its <see cref="AliasAttribute"/>.</summary>
public interface IOutboxMessage;

/// <summary>
/// The name a journal entry or outbox message is stored under: its Orleans <c>[Alias]</c>, never
/// its class name, so that renaming or moving a class cannot orphan rows already stored. The
/// aliases of types that existed before are the names their rows were first stored under.
/// </summary>
public static class StoredName
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();

    public static string Of(Type type) => Names.GetOrAdd(type, static t =>
        t.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias
        ?? throw new InvalidOperationException(
            $"{t.FullName} is stored as a journal entry or outbox message but has no [Alias(\"…\")]. Give it a stable name; once rows exist, never change it."));

    public static string Of<T>() => Of(typeof(T));
}
