namespace Courier.Abstractions.Accounts;

/// <summary>
/// The one normalization of an e-mail address: trimmed and lower-case (invariant). It is the key
/// of the account grain, so two spellings of one address can never register twice.
/// </summary>
public static class AccountEmail
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
