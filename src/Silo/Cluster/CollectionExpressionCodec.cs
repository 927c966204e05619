using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace Courier.Silo.Cluster;

/// <summary>
/// Sends a collection made by a C# collection expression (<c>IReadOnlyList&lt;string&gt; keys = [.. lines]</c>)
/// to another silo as an array. The compiler makes such a list a type of its own, with no
/// constructor a serializer can call, so passed as a grain argument or result it could leave a
/// silo but not arrive. An array is what the receiving grain sees instead; it satisfies every
/// read-only collection interface the value was declared as.
/// </summary>
internal sealed class CollectionExpressionCodec(IServiceProvider services) : IGeneralizedCodec
{
    private ICodecProvider? codecs;

    public static bool IsCollectionExpression(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && ElementType(type) is not null;

    public bool IsSupportedType(Type type) => IsCollectionExpression(type);

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, object? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        var elementType = ElementType(value!.GetType())!;
        var items = ((System.Collections.IEnumerable)value).Cast<object?>().ToArray();
        var array = Array.CreateInstance(elementType, items.Length);
        for (var i = 0; i < items.Length; i++) array.SetValue(items[i], i);
        codecs ??= services.GetRequiredService<ICodecProvider>();
        codecs.GetCodec(array.GetType()).WriteField(ref writer, fieldIdDelta, expectedType, array);
    }

    public object? ReadValue<TInput>(ref Reader<TInput> reader, Field field) =>
        throw new NotSupportedException("Collection expressions are written as arrays and read by the array codec.");

    private static Type? ElementType(Type type) =>
        type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
}
