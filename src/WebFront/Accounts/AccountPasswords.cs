using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Accounts;

/// <summary>
/// The one place passwords are hashed and checked: Identity's <see cref="PasswordHasher{TUser}"/>
/// in its V3 format, PBKDF2-HMAC-SHA512 with 210,000 iterations (OWASP's current advice).
/// Hashing happens here, in the web layer, because the hash has a random salt and grains are
/// deterministic.
/// </summary>
internal sealed class AccountPasswords
{
    public const int IterationCount = 210_000;

    private readonly PasswordHasher<AccountPasswords> hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = IterationCount,
    }));

    private readonly Lazy<string> dummyHash;

    public AccountPasswords() =>
        dummyHash = new Lazy<string>(() => Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public string Hash(string password) => hasher.HashPassword(this, password);

    /// <summary>
    /// Checks a password against a stored hash. With no hash (no such account) it still runs one
    /// full verification against a dummy hash, so an unknown e-mail takes as long as a wrong password.
    /// </summary>
    public PasswordVerificationResult Verify(string? storedHash, string password)
    {
        if (storedHash is null)
        {
            hasher.VerifyHashedPassword(this, dummyHash.Value, password);
            return PasswordVerificationResult.Failed;
        }
        return hasher.VerifyHashedPassword(this, storedHash, password);
    }

    /// <summary>Computes the dummy hash now rather than during the first sign-in with an unknown e-mail.</summary>
    public void Warm() => _ = dummyHash.Value;
}
