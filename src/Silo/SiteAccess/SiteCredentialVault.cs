using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Courier.Silo.SiteAccess;

/// <summary>A hosted site's sign-in. Its text form hides the password, so it cannot leak into a log by accident.</summary>
public sealed record SiteCredentials(string Username, string Password)
{
    public override string ToString() => $"SiteCredentials {{ Username = {Username}, Password = (hidden) }}";

    /// <summary>Compares in constant time, so the answer's timing tells nothing about how much of a guess was right.</summary>
    public bool Matches(string username, string password) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(username.Trim().ToUpperInvariant()), Encoding.UTF8.GetBytes(Username.ToUpperInvariant()))
        & CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Password));
}

/// <summary>
/// The one place site credentials are encrypted and decrypted: ASP.NET Core Data Protection
/// (authenticated AES with the shared key ring in PostgreSQL, keys rotating every 90 days; old
/// keys stay in the ring, so credentials sealed years ago still open). Grains only ever hold the
/// sealed text.
/// </summary>
public sealed class SiteCredentialVault
{
    private const string Purpose = "Courier.SiteAccess.Credentials.v1";
    private readonly IDataProtector protector;

    public SiteCredentialVault(IDataProtectionProvider protection) => protector = protection.CreateProtector(Purpose);

    public string Seal(SiteCredentials credentials) =>
        protector.Protect(JsonSerializer.Serialize(new SealedForm(credentials.Username, credentials.Password)));

    public SiteCredentials Open(string sealedCredentials)
    {
        try
        {
            var form = JsonSerializer.Deserialize<SealedForm>(protector.Unprotect(sealedCredentials))!;
            return new SiteCredentials(form.U, form.P);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                "Stored site credentials could not be decrypted: the Data Protection key that sealed them is not in the key ring "
                + "(table data_protection_keys). Restore that table from a backup, or have the customer rotate the credentials.", ex);
        }
    }

    private sealed record SealedForm(string U, string P);
}
