namespace Courier.Silo.Runtime;

/// <summary>The grains the current call passes through, so a timeout can name the cycle it came from.</summary>
internal sealed class CallChain(GrainId grain, CallChain? caller)
{
    private readonly GrainId grain = grain;
    private readonly CallChain? caller = caller;

    private static readonly AsyncLocal<CallChain?> CurrentChain = new();

    public static CallChain? Current
    {
        get => CurrentChain.Value;
        set => CurrentChain.Value = value;
    }

    public bool Contains(GrainId id)
    {
        for (var link = this; link is not null; link = link.caller)
            if (link.grain == id) return true;
        return false;
    }

    public string Describe(GrainId next)
    {
        var names = new List<string> { next.ToString() };
        for (var link = this; link is not null; link = link.caller) names.Add(link.grain.ToString());
        names.Reverse();
        return string.Join(" → ", names);
    }
}
