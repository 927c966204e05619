namespace Courier.Silo.Runtime;

/// <summary>
/// A grain's identity: the full type name of its class and the full key text. Storage keys on
/// both as they are — never a hash, never a parsed number.
/// </summary>
internal readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
