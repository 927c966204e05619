using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;

namespace Courier.WebFront.Accounts;

/// <summary>Creates accounts (self-registration, the admin CLI, demo seeding): hashes the password and mints the id here, then lets the grain decide.</summary>
internal sealed class AccountRegistrar(IGrainFactory grains, AccountPasswords passwords)
{
    public Task<RegistrationResult> RegisterAsync(string email, string displayName, string password, IReadOnlyList<string> roles, string? registeredBy)
    {
        var registration = new AccountRegistration(
            AccountId: Guid.NewGuid().ToString(),
            Email: email.Trim(),
            DisplayName: displayName.Trim(),
            PasswordHash: passwords.Hash(password),
            Roles: roles,
            RegisteredBy: registeredBy);
        return grains.GetGrain<IAccountGrain>(AccountEmail.Normalize(email)).RegisterAsync(registration);
    }
}
