using System.Net.Mail;

namespace Courier.WebFront.Accounts;

/// <summary>The field rules for a new account, shared by the register endpoint and the admin CLI.</summary>
internal sealed class RegistrationRules(PasswordPolicy passwordPolicy)
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 100;

    /// <summary>Errors per field (camelCase names as in the request); empty when everything is fine.</summary>
    public Dictionary<string, string[]> Check(string? email, string? password, string? displayName)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (EmailProblem(email) is { } emailProblem) errors["email"] = [emailProblem];
        if (passwordPolicy.Problem(password, email) is { } passwordProblem) errors["password"] = [passwordProblem];
        if (DisplayNameProblem(displayName) is { } nameProblem) errors["displayName"] = [nameProblem];
        return errors;
    }

    public static string? EmailProblem(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0) return "Enter your e-mail address.";
        if (trimmed.Length > MaxEmailLength || !IsMailbox(trimmed)) return "Enter an e-mail address like name@example.com.";
        return null;
    }

    public static string? DisplayNameProblem(string? displayName)
    {
        var name = displayName?.Trim() ?? "";
        if (name.Length == 0) return "Enter the name we should greet you with.";
        if (name.Length > MaxDisplayNameLength) return $"Use at most {MaxDisplayNameLength} characters for your name.";
        if (name.Any(char.IsControl)) return "Your name cannot contain control characters.";
        return null;
    }

    private static bool IsMailbox(string email) =>
        MailAddress.TryCreate(email, out var address)
        && string.Equals(address.Address, email, StringComparison.Ordinal)
        && address.Host.Contains('.', StringComparison.Ordinal);
}
