namespace Courier.TestSupport;

/// <summary>Waits for a condition that becomes true asynchronously (a reminder fired, a message dispatched).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met within {(within ?? TimeSpan.FromSeconds(15)).TotalSeconds:0.#} s{(because is null ? "" : $": {because}")}.");
            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan? within = null, string? because = null) =>
        TrueAsync(() => Task.FromResult(condition()), within, because);
}
