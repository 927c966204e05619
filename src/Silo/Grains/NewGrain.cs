namespace Courier.Silo.Grains;

/// <summary>
/// Tells a grain that its caller has just made its key up (a random order id, a Stripe event id
/// seen for the first time, the delivery of a line just paid), so its activation starts from empty
/// state instead of reading a row that is almost never there:
/// <code>using (NewGrain.Announce(order)) await order.PlaceAsync(draft);</code>
/// The announcement travels in Orleans' <see cref="RequestContext"/> (which the activation imports
/// before it sets up its state), names the one grain it is about, and ends with the scope.
/// </summary>
/// <remarks>
/// It is a hint, never a risk: the first commit of an activation that skipped its read expects no
/// stored row, so if one exists after all (a retried webhook, a re-dispatched outbox message) the
/// commit conflicts, the activation reads the row and the call runs again on the stored state.
/// </remarks>
public static class NewGrain
{
    private const string ContextKey = "courier.new-grain";

    public static Scope Announce(IAddressable grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var previous = RequestContext.Get(ContextKey);
        RequestContext.Set(ContextKey, grain.GetGrainId().ToString());
        return new Scope(true, previous);
    }

    /// <summary>Whether the call that is activating <paramref name="grain"/> announced it as new.</summary>
    internal static bool IsAnnounced(GrainId grain) =>
        RequestContext.Get(ContextKey) is string announced && announced == grain.ToString();

    /// <summary>Ends the announcement; <c>default</c> announces nothing.</summary>
    public readonly struct Scope(bool announced, object? previous) : IDisposable
    {
        public void Dispose()
        {
            if (!announced) return;
            if (previous is null) RequestContext.Remove(ContextKey);
            else RequestContext.Set(ContextKey, previous);
        }
    }
}
