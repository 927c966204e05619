namespace Courier.Abstractions.Runtime;

public interface IGrainFactory
{
    /// <summary>
    /// A reference to the grain; it always works (virtual activation). The grain is activated on
    /// its first call, with its state loaded before that call runs.
    /// </summary>
    TGrain Get<TGrain>(string key) where TGrain : IGrainWithStringKey;
}
