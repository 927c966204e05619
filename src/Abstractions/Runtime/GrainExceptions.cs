namespace Courier.Abstractions.Runtime;

/// <summary>A grain call did not complete within the call timeout (often a call cycle A→B→A).</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException() { }
    public GrainCallTimeoutException(string message) : base(message) { }
    public GrainCallTimeoutException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A grain call kept losing the optimistic-concurrency race after every allowed replay.</summary>
public sealed class GrainConflictException : Exception
{
    public GrainConflictException() { }
    public GrainConflictException(string message) : base(message) { }
    public GrainConflictException(string message, Exception inner) : base(message, inner) { }
}
