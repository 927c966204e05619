namespace Courier.Silo.Hosting;

/// <summary>
/// Runs leased items (reminder ticks, outbox messages) concurrently up to a limit, and lets a
/// stopping loop wait for the ones still running.
/// </summary>
internal sealed class BoundedWork(int concurrency) : IDisposable
{
    private readonly SemaphoreSlim slots = new(concurrency);
    private readonly HashSet<Task> running = [];

    /// <summary>Waits for a free slot, then starts <paramref name="work"/> without waiting for it; throws instead once cancelled.</summary>
    public async Task StartAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            slots.Release(); // the slot came free as the loop was stopping: start nothing new
            cancellationToken.ThrowIfCancellationRequested();
        }
        var task = work();
        lock (running) running.Add(task);
        _ = task.ContinueWith(finished =>
        {
            slots.Release();
            lock (running) running.Remove(finished);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when everything started so far has finished (failures included).</summary>
    public Task DrainAsync()
    {
        Task[] remaining;
        lock (running) remaining = [.. running];
        return Task.WhenAll(remaining).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => slots.Dispose();
}
