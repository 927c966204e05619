namespace Courier.Silo.Outbox;

/// <summary>
/// Carries out one kind of outbox message (send an e-mail, call Stripe, provision an account…).
/// Dispatch is at least once: a handler must be idempotent, keyed by <see cref="OutboxDelivery.MessageId"/>
/// (pass it on as the idempotency key of the outside call). Results go back to grains as new calls.
/// Throwing schedules a retry with backoff; after the last attempt the message is dead-lettered.
/// Throw <see cref="PermanentOutboxFailureException"/> when retrying cannot help: it is dead-lettered at once.
/// </summary>
public interface IOutboxHandler<in TMessage>
{
    Task HandleAsync(TMessage message, OutboxDelivery delivery, CancellationToken cancellationToken);
}

/// <param name="MessageId">Stable across retries: the idempotency key.</param>
/// <param name="Attempt">1 on the first dispatch.</param>
public sealed record OutboxDelivery(Guid MessageId, int Attempt, string SourceGrainType, string SourceGrainKey, DateTimeOffset CreatedAt);

/// <summary>One handler made known to the dispatcher (see <c>AddOutboxHandler</c>).</summary>
internal sealed record OutboxHandlerRegistration(string MessageType, Func<IServiceProvider, string, OutboxDelivery, CancellationToken, Task> Dispatch);
