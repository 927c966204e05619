using System.Buffers.Binary;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

public sealed class PasswordHashTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Stored_hash_is_identity_v3_pbkdf2_hmac_sha512_with_210000_iterations()
    {
        var email = $"hash-{Guid.NewGuid():N}@example.com";
        using var browser = await new ApiSession(factory).OpenAsync();
        (await browser.RegisterAsync(email, "correct horse battery")).Dispose();

        var stored = (await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(email).GetCredentialsAsync())!.PasswordHash;

        // Identity V3 layout: 0x01 | PRF (uint32 BE) | iterations (uint32 BE) | salt length (uint32 BE) | salt | subkey.
        var bytes = Convert.FromBase64String(stored);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1))); // KeyDerivationPrf.HMACSHA512
        Assert.Equal(210_000u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        Assert.True(saltLength >= 16);
        Assert.Equal(13 + saltLength + 32, bytes.Length);
        Assert.DoesNotContain("correct horse battery", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_hashes_of_one_password_differ_by_salt_and_both_verify()
    {
        var passwords = new AccountPasswords();

        var first = passwords.Hash("correct horse battery");
        var second = passwords.Hash("correct horse battery");

        Assert.NotEqual(first, second);
        Assert.Equal(PasswordVerificationResult.Success, passwords.Verify(first, "correct horse battery"));
        Assert.Equal(PasswordVerificationResult.Failed, passwords.Verify(second, "correct horse batterY"));
        Assert.Equal(PasswordVerificationResult.Failed, passwords.Verify(null, "correct horse battery"));
    }
}

public sealed class PasswordPolicyTests
{
    private static readonly CommonPasswords Common = new();
    private readonly PasswordPolicy policy = new(Common);

    [Fact]
    public void Bundled_common_password_list_is_large_and_loaded()
    {
        Assert.True(Common.Count > 100_000, $"only {Common.Count} common passwords loaded");
        Assert.True(Common.Contains("1q2w3e4r5t"));
        Assert.True(Common.Contains("QWERTYUIOP"));
    }

    [Theory]
    [InlineData("correct horse battery")]
    [InlineData("tr0ub4dor&3-staple")]
    [InlineData("🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊")]
    public void Long_uncommon_passwords_without_composition_rules_are_accepted(string password) =>
        Assert.Null(policy.Problem(password, "ada@example.com"));

    [Theory]
    [InlineData("", "at least 10")]
    [InlineData("123456789", "at least 10")]
    [InlineData("1234567890", "commonly used")]
    [InlineData("ada@example.com", "e-mail")]
    public void Weak_passwords_are_refused_with_a_reason(string password, string reason) =>
        Assert.Contains(reason, policy.Problem(password, "ada@example.com"), StringComparison.Ordinal);

    [Fact]
    public void Length_limit_is_128_characters()
    {
        Assert.Null(policy.Problem(new string('a', 64) + new string('b', 64)));
        Assert.Contains("at most 128", policy.Problem(new string('a', 64) + new string('b', 65)), StringComparison.Ordinal);
    }
}
