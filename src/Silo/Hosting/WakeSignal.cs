namespace Courier.Silo.Hosting;

/// <summary>Lets a polling loop sleep until its next poll or until someone has work for it, whichever comes first.</summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Volatile.Read(ref signal).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref signal);
        try
        {
            await current.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        if (current.Task.IsCompleted)
            Interlocked.CompareExchange(ref signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}
