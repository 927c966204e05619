using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Threading.Channels;
using Courier.Silo.Hosting;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace Courier.Silo.Outbox;

/// <summary>
/// Dispatches committed outbox messages to their handlers, at least once. A node's own commits
/// claim their messages (<see cref="OutboxClaim"/>) and hand them here straight after the commit,
/// so the common case costs no query; a poll leases the rest in batches — retries that came due,
/// and messages whose claim or lease ran out because their node died — so nodes share the work
/// without running one message twice at the same time. A failure is retried with exponential
/// backoff and jitter, and after the last attempt — or at once when the handler says retrying cannot help
/// (<see cref="PermanentOutboxFailureException"/>) — the message is dead-lettered where admins can see it.
/// </summary>
internal sealed partial class OutboxDispatcher
{
    private readonly CommitPipeline runtime;
    private readonly IOutboxStore store;
    private readonly IServiceProvider services;
    private readonly FrozenDictionary<string, OutboxHandlerRegistration> handlers;
    private readonly ILogger<OutboxDispatcher> log;
    private readonly WakeSignal wake = new();
    private readonly Channel<Guid> done = Channel.CreateUnbounded<Guid>(new() { SingleReader = true });
    private readonly Channel<ClaimedMessage> claimed = Channel.CreateUnbounded<ClaimedMessage>(new() { SingleReader = true });

    public OutboxDispatcher(CommitPipeline runtime, IOutboxStore store, IServiceProvider services, IEnumerable<OutboxHandlerRegistration> handlers, ILogger<OutboxDispatcher> log)
    {
        this.runtime = runtime;
        this.store = store;
        this.services = services;
        this.handlers = handlers.ToFrozenDictionary(h => h.MessageType, StringComparer.Ordinal);
        this.log = log;
    }

    /// <summary>Test seam: runs after a handler succeeded and before the message is marked done.</summary>
    internal Func<OutboxEnvelope, Task>? BeforeMarkDone { get; set; }

    private volatile bool abandoned;

    /// <summary>The node is going down as a crash would: claims are left to run out instead of being given back.</summary>
    internal void Abandon() => abandoned = true;

    /// <summary>Takes the messages of a commit this node just made: claimed ones are dispatched from memory, others wake the poll.</summary>
    public void Accept(GrainCommit commit)
    {
        if (commit.Outbox.Count == 0) return;
        if (commit.OutboxClaim is not { } claim)
        {
            wake.Wake();
            return;
        }
        foreach (var message in commit.Outbox)
        {
            var envelope = new OutboxEnvelope(message.Id, message.MessageType, message.PayloadJson, commit.Grain.Type, commit.Grain.Key,
                OutboxStatus.Pending, Attempts: 0, commit.At, commit.At, LastError: null);
            if (!claimed.Writer.TryWrite(new ClaimedMessage(envelope, claim.Until)))
                return; // stopped meanwhile: the claim runs out and a poll takes the messages
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var marking = Task.Run(() => MarkDoneInBatchesAsync(cancellationToken), CancellationToken.None);
        using var work = new BoundedWork(options.OutboxConcurrency);
        var claiming = runtime.DispatchOwnOutbox();
        var own = Task.Run(() => DispatchClaimedAsync(work, cancellationToken), CancellationToken.None);
        var unstarted = new List<Guid>();
        await Task.Yield();
        var nextPurge = runtime.Time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var leased = 0;
            try
            {
                if (runtime.Time.GetUtcNow() >= nextPurge)
                {
                    await store.PurgeDoneMessagesAsync(runtime.Time.GetUtcNow() - options.OutboxRetainDone, cancellationToken).ConfigureAwait(false);
                    nextPurge = runtime.Time.GetUtcNow() + TimeSpan.FromHours(1);
                }
                var due = await store.LeaseDueMessagesAsync(
                    runtime.NodeName, runtime.Time.GetUtcNow(), options.OutboxLease, options.OutboxBatchSize, cancellationToken).ConfigureAwait(false);
                leased = due.Count;
                for (var i = 0; i < due.Count; i++)
                {
                    if (await TryStartAsync(work, due[i], cancellationToken).ConfigureAwait(false)) continue;
                    unstarted.AddRange(due.Skip(i).Select(m => m.Id));
                    break;
                }
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
        claiming.Dispose();
        claimed.Writer.TryComplete();
        unstarted.AddRange(await own.ConfigureAwait(false));
        while (claimed.Reader.TryRead(out var left)) unstarted.Add(left.Envelope.Id);
        await ReleaseAsync(unstarted).ConfigureAwait(false);
        await work.DrainAsync().ConfigureAwait(false);
        done.Writer.TryComplete();
        await marking.ConfigureAwait(false);
    }

    /// <summary>Dispatches this node's claimed messages as they are committed; returns the ones it could not start before stopping.</summary>
    private async Task<List<Guid>> DispatchClaimedAsync(BoundedWork work, CancellationToken cancellationToken)
    {
        var unstarted = new List<Guid>();
        try
        {
            while (await claimed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (claimed.Reader.TryRead(out var message))
                {
                    // Too late to finish inside the claim: once it runs out a poll takes the message,
                    // and running it here as well could overlap with that dispatch.
                    if (runtime.Time.GetUtcNow() + runtime.Options.OutboxHandlerTimeout >= message.ClaimedUntil) continue;
                    if (await TryStartAsync(work, message.Envelope, cancellationToken).ConfigureAwait(false)) continue;
                    unstarted.Add(message.Envelope.Id);
                    return unstarted;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return unstarted;
    }

    /// <summary>Starts dispatching <paramref name="message"/> once a slot is free; false when the dispatcher stopped first.</summary>
    private async Task<bool> TryStartAsync(BoundedWork work, OutboxEnvelope message, CancellationToken cancellationToken)
    {
        try
        {
            await work.StartAsync(() => DispatchAsync(message, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Stopping with claimed or leased messages not yet started: give them back so the next poll of any node takes them now rather than when the lease runs out.</summary>
    private async Task ReleaseAsync(List<Guid> ids)
    {
        if (ids.Count == 0 || abandoned) return;
        try
        {
            await store.ReleaseMessagesAsync(ids, runtime.NodeName, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(ex, ids.Count);
        }
    }

    private sealed record ClaimedMessage(OutboxEnvelope Envelope, DateTimeOffset ClaimedUntil);

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
                await store.MarkMessagesDoneAsync(batch, runtime.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
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
        if (ex is PermanentOutboxFailureException)
        {
            LogRefusedForGood(ex, message.MessageType, message.Id, attempt);
        }
        else if (attempt < options.OutboxMaxAttempts)
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
            await store.MarkMessageFailedAsync(message.Id, attempt, next, error, cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back {Count} outbox messages on stopping; they are dispatched when their lease runs out")]
    private partial void LogReleaseFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox poll failed; retrying")]
    private partial void LogPollFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageType} {MessageId} failed on attempt {Attempt}; next try in {Delay}")]
    private partial void LogDispatchFailed(Exception ex, string messageType, Guid messageId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageType} {MessageId} failed {Attempt} times and was dead-lettered")]
    private partial void LogDeadLettered(Exception ex, string messageType, Guid messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageType} {MessageId} failed for good on attempt {Attempt} and was dead-lettered")]
    private partial void LogRefusedForGood(Exception ex, string messageType, Guid messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the failure of outbox message {MessageId}; its lease will expire and it will be retried")]
    private partial void LogFailureNotRecorded(Exception ex, Guid messageId);
}
