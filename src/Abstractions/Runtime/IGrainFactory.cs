namespace Courier.Abstractions.Runtime;

public interface IGrainFactory
{
    /// <summary>
    /// A reference to the grain; it always works (virtual activation). The grain is activated on
    /// its first call, with its state loaded before that call runs.
    /// </summary>
    TGrain Get<TGrain>(string key) where TGrain : IGrainWithStringKey;

    /// <summary>
    /// <see cref="Get{TGrain}"/> for a key the caller has just made up (a new order's id): the
    /// first call starts from empty state instead of reading storage, which cannot hold anything
    /// under a new key. Should it hold something after all, the call loses the commit race (or
    /// fails) and is replayed on the stored state, so a wrong guess costs time, never correctness.
    /// </summary>
    TGrain GetNew<TGrain>(string key) where TGrain : IGrainWithStringKey;
}
