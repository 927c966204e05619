namespace Courier.Abstractions.Accounts;

/// <summary>
/// The one normalization of an e-mail address: trimmed and lower-case (invariant). It is the key
/// of the account grain, so two spellings of one address can never register twice.
/// </summary>
public static class AccountEmail
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>What orders and deliveries keep in place of the address of an account that was deleted.</summary>
    public const string Erased = "erased@deleted.invalid";
}
