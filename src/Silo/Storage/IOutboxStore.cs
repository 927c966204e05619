namespace Courier.Silo.Storage;

/// <summary>
/// The outbox as its dispatchers and operators see it: messages grain commits wrote, leased to one
/// node at a time, then done, retried later or dead-lettered.
/// </summary>
internal interface IOutboxStore
{
    Task<IReadOnlyList<OutboxEnvelope>> LeaseDueMessagesAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Gives back messages <paramref name="node"/> claimed but will not dispatch (it is stopping), so any node's next poll takes them.</summary>
    Task ReleaseMessagesAsync(IReadOnlyList<Guid> ids, string node, CancellationToken cancellationToken);

    Task MarkMessagesDoneAsync(IReadOnlyList<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A dispatch failed: retry at <paramref name="nextAttempt"/>, or dead-letter it when that is null.</summary>
    Task MarkMessageFailedAsync(Guid id, int attempts, DateTimeOffset? nextAttempt, string error, CancellationToken cancellationToken);

    /// <summary>Deletes dispatched messages finished before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeDoneMessagesAsync(DateTimeOffset before, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEnvelope>> ListOutboxAsync(OutboxStatus status, int max, CancellationToken cancellationToken);

    /// <summary>How many messages wait to be dispatched and how many were dead-lettered, across every node.</summary>
    Task<OutboxCounts> CountOutboxAsync(CancellationToken cancellationToken);
}
