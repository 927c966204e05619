namespace Courier.Abstractions.Commerce;

/// <summary>
/// A request that breaks a business rule (sold out, empty cart, coupon expired…). The web layer
/// turns it into a problem-details answer with <see cref="Status"/> and type
/// "https://courier.dev/problems/{Code}"; the message is shown to the customer as is.
/// </summary>
public sealed class RuleViolationException : Exception
{
    public RuleViolationException() : this("rule-violation", "The request breaks a rule.") { }
    public RuleViolationException(string message) : this("rule-violation", message) { }
    public RuleViolationException(string message, Exception inner) : base(message, inner) => Code = "rule-violation";

    public RuleViolationException(string code, string message, int status = 400, IReadOnlyDictionary<string, object?>? details = null) : base(message)
    {
        Code = code;
        Status = status;
        Details = details ?? new Dictionary<string, object?>();
    }

    public string Code { get; }
    public int Status { get; } = 400;
    public IReadOnlyDictionary<string, object?> Details { get; } = new Dictionary<string, object?>();
}
