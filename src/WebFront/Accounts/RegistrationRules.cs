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
        var trimmedEmail = email?.Trim() ?? "";
        if (trimmedEmail.Length == 0)
            errors["email"] = ["Enter your e-mail address."];
        else if (trimmedEmail.Length > MaxEmailLength || !IsMailbox(trimmedEmail))
            errors["email"] = ["Enter an e-mail address like name@example.com."];

        if (passwordPolicy.Problem(password, trimmedEmail) is { } passwordProblem)
            errors["password"] = [passwordProblem];

        var name = displayName?.Trim() ?? "";
        if (name.Length == 0)
            errors["displayName"] = ["Enter the name we should greet you with."];
        else if (name.Length > MaxDisplayNameLength)
            errors["displayName"] = [$"Use at most {MaxDisplayNameLength} characters for your name."];
        else if (name.Any(char.IsControl))
            errors["displayName"] = ["Your name cannot contain control characters."];
        return errors;
    }

    private static bool IsMailbox(string email) =>
        MailAddress.TryCreate(email, out var address)
        && string.Equals(address.Address, email, StringComparison.Ordinal)
        && address.Host.Contains('.', StringComparison.Ordinal);
}
