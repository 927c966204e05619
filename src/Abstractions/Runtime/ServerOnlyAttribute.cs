namespace Courier.Abstractions.Runtime;

/// <summary>
/// A property the server needs — it travels with the record between grains and silos — that
/// clients of the HTTP API must not see (the web front leaves it out of its JSON and its schema).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ServerOnlyAttribute : Attribute;
