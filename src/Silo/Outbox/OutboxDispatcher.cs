using System.Collections.Frozen;
using System.Security.Cryptography;
using Courier.Silo.Hosting;
using Courier.Silo.Runtime;
using Courier.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Outbox;

/// <summary>
/// Dispatches committed outbox messages to their handlers, at least once: messages are leased in
/// batches (so nodes share the work without running one message twice at the same time), a
/// failure is retried with exponential backoff and jitter, and after the last attempt the message
/// is dead-lettered where admins can see it.
/// </summary>
internal sealed partial class OutboxDispatcher
{
    private readonly GrainRuntime runtime;
    private readonly IServiceProvider services;
    private readonly FrozenDictionary<string, OutboxHandlerRegistration> handlers;
    private readonly ILogger<OutboxDispatcher> log;
    private readonly WakeSignal wake = new();
    private readonly System.Threading.Channels.Channel<Guid> done = System.Threading.Channels.Channel.CreateUnbounded<Guid>(new() { SingleReader = true });

    public OutboxDispatcher(GrainRuntime runtime, IServiceProvider services, IEnumerable<OutboxHandlerRegistration> handlers, ILogger<OutboxDispatcher> log)
    {
        this.runtime = runtime;
        this.services = services;
        this.handlers = handlers.ToFrozenDictionary(h => h.MessageType, StringComparer.Ordinal);
        this.log = log;
    }

    /// <summary>Test seam: runs after a handler succeeded and before the message is marked done.</summary>
    internal Func<OutboxEnvelope, Task>? BeforeMarkDone { get; set; }

    public void Wake() => wake.Wake();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var marking = Task.Run(() => MarkDoneInBatchesAsync(cancellationToken), CancellationToken.None);
        using var work = new BoundedWork(options.OutboxConcurrency);
        var nextPurge = runtime.Time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var leased = 0;
            try
            {
                if (runtime.Time.GetUtcNow() >= nextPurge)
                {
                    await runtime.Store.PurgeDoneMessagesAsync(runtime.Time.GetUtcNow() - options.OutboxRetainDone, cancellationToken).ConfigureAwait(false);
                    nextPurge = runtime.Time.GetUtcNow() + TimeSpan.FromHours(1);
                }
                var due = await runtime.Store.LeaseDueMessagesAsync(
                    runtime.NodeName, runtime.Time.GetUtcNow(), options.OutboxLease, options.OutboxBatchSize, cancellationToken).ConfigureAwait(false);
                leased = due.Count;
                foreach (var message in due)
                    await work.StartAsync(() => DispatchAsync(message, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPollFailed(ex);
                try { await Task.Delay(options.OutboxPollInterval * 5, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            if (leased < options.OutboxBatchSize)
                await wake.WaitAsync(options.OutboxPollInterval, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        await work.DrainAsync().ConfigureAwait(false);
        done.Writer.TryComplete();
        await marking.ConfigureAwait(false);
    }

    private async Task DispatchAsync(OutboxEnvelope message, CancellationToken cancellationToken)
    {
        var attempt = message.Attempts + 1;
        try
        {
            if (!handlers.TryGetValue(message.MessageType, out var handler))
                throw new InvalidOperationException($"No outbox handler is registered for {message.MessageType}.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(runtime.Options.OutboxHandlerTimeout);
            var delivery = new OutboxDelivery(message.Id, attempt, message.SourceGrainType, message.SourceGrainKey, message.CreatedAt);
            await handler.Dispatch(services, message.PayloadJson, delivery, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(message, attempt, ex, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopping: the lease runs out and the message is dispatched again
        }

        if (BeforeMarkDone is { } hook) await hook(message).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        done.Writer.TryWrite(message.Id);
    }

    /// <summary>
    /// Marks dispatched messages done in batches: one UPDATE for everything finished since the last
    /// one. A message whose mark is lost with a crash is dispatched again, as at-least-once allows.
    /// </summary>
    private async Task MarkDoneInBatchesAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Guid>();
        while (await done.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < 1000 && done.Reader.TryRead(out var id)) batch.Add(id);
            try
            {
                await runtime.Store.MarkMessagesDoneAsync(batch, runtime.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                batch.Clear();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogMarkDoneFailed(ex, batch.Count);
                await Task.Delay(runtime.Options.OutboxPollInterval, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return; // stopping: the leases run out and the messages are dispatched again
            }
        }
    }

    private async Task RecordFailureAsync(OutboxEnvelope message, int attempt, Exception ex, CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var error = $"{ex.GetType().Name}: {ex.Message}";
        DateTimeOffset? next = null;
        if (attempt < options.OutboxMaxAttempts)
        {
            var delay = RetryDelay(attempt, options.OutboxRetryBase, options.OutboxRetryMax);
            next = runtime.Time.GetUtcNow() + delay;
            LogDispatchFailed(ex, message.MessageType, message.Id, attempt, delay);
        }
        else
        {
            LogDeadLettered(ex, message.MessageType, message.Id, attempt);
        }
        try
        {
            await runtime.Store.MarkMessageFailedAsync(message.Id, attempt, next, error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception storeError) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailureNotRecorded(storeError, message.Id);
        }
    }

    /// <summary>Exponential backoff with jitter: a random point in the upper half of base × 2^(attempt-1), capped.</summary>
    internal static TimeSpan RetryDelay(int attempt, TimeSpan baseDelay, TimeSpan max)
    {
        var ceiling = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)), max.TotalMilliseconds);
        var jitter = RandomNumberGenerator.GetInt32(0, 1_000_001) / 1_000_000.0;
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * jitter)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark {Count} dispatched outbox messages done; retrying")]
    private partial void LogMarkDoneFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox poll failed; retrying")]
    private partial void LogPollFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageType} {MessageId} failed on attempt {Attempt}; next try in {Delay}")]
    private partial void LogDispatchFailed(Exception ex, string messageType, Guid messageId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageType} {MessageId} failed {Attempt} times and was dead-lettered")]
    private partial void LogDeadLettered(Exception ex, string messageType, Guid messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the failure of outbox message {MessageId}; its lease will expire and it will be retried")]
    private partial void LogFailureNotRecorded(Exception ex, Guid messageId);
}
