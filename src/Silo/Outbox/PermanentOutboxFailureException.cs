namespace Courier.Silo.Outbox;

/// <summary>
/// Thrown by a handler when trying again cannot help (the mail server refused the recipient, the
/// request itself is invalid): the dispatcher dead-letters the message at once, its message the
/// reason an admin reads. Any other exception is retried.
/// </summary>
public sealed class PermanentOutboxFailureException : Exception
{
    public PermanentOutboxFailureException(string message) : base(message) { }

    public PermanentOutboxFailureException(string message, Exception innerException) : base(message, innerException) { }
}
