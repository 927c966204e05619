namespace Courier.Abstractions.Runtime;

/// <summary>
/// A grain call would wait for itself: A calls B, which (directly or further on) calls A while A is
/// still waiting for B. Courier's grains are not reentrant, so the call could never run; it fails at
/// once instead of when the call timeout runs out.
/// </summary>
public sealed class GrainCallCycleException : InvalidOperationException
{
    public GrainCallCycleException() { }
    public GrainCallCycleException(string message) : base(message) { }
    public GrainCallCycleException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A grain call lost the optimistic-concurrency race on its state (another activation of the grain committed first).</summary>
public sealed class GrainConflictException : Exception
{
    public GrainConflictException() { }
    public GrainConflictException(string message) : base(message) { }
    public GrainConflictException(string message, Exception inner) : base(message, inner) { }
}
