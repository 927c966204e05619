namespace Courier.WebFront.Accounts;

/// <summary>
/// What a new password must satisfy: 10 to 128 characters, not a well-known common password,
/// not the account's own e-mail. No composition rules (NIST SP 800-63B): length and the
/// common-password check do more for security than forced digits and symbols.
/// </summary>
internal sealed class PasswordPolicy(CommonPasswords commonPasswords)
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    /// <summary>What is wrong with the password, in words for the person choosing it; null when it is acceptable.</summary>
    public string? Problem(string? password, string? email = null)
    {
        if (string.IsNullOrEmpty(password))
            return $"Choose a password of at least {MinLength} characters.";
        // Characters as people count them (code points), so an emoji is one character, not two.
        var length = password.EnumerateRunes().Count();
        if (length < MinLength)
            return $"Use at least {MinLength} characters (this one has {length}). A short phrase of a few words is easy to remember.";
        if (length > MaxLength)
            return $"Use at most {MaxLength} characters (this one has {length}).";
        if (commonPasswords.Contains(password))
            return "This password is on a list of commonly used passwords that attackers try first. Choose something less common, e.g. a few unrelated words.";
        if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
            return "Do not use your e-mail address as your password.";
        return null;
    }
}
