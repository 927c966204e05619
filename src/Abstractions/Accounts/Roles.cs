namespace Courier.Abstractions.Accounts;

/// <summary>The roles an account can hold. Stored and sent as these lower-case names.</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Affiliate = "affiliate";
    public const string Technician = "technician";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Customer, Affiliate, Technician, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>Roles that act on other people's data (shorter sessions, audited actions).</summary>
    public static bool IsStaff(string role) => role is Admin or Technician;
}
