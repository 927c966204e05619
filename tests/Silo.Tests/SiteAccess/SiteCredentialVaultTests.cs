using Courier.Silo.Migrations;
using Courier.Silo.Security;
using Courier.Silo.SiteAccess;
using Courier.TestSupport;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Courier.Silo.Tests.SiteAccess;

/// <summary>Sealing with the key ring in PostgreSQL, across a key rotation and across nodes.</summary>
public sealed class SiteCredentialVaultTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private NpgsqlDataSource dataSource = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>One node's Data Protection (its own key cache) on the shared database.</summary>
    private ServiceProvider Node() =>
        new ServiceCollection().AddLogging().AddSingleton(dataSource).AddCourierDataProtection().AddSingleton<SiteCredentialVault>().BuildServiceProvider();

    [Fact]
    public async Task Credentials_sealed_before_a_key_rotation_still_open_after_it_on_any_node()
    {
        await using var node = Node();
        var vault = node.GetRequiredService<SiteCredentialVault>();
        var before = new SiteCredentials("ada@example.com", "old-password-7Kq2");
        var sealedBefore = vault.Seal(before);

        node.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var after = new SiteCredentials("ada@example.com", "new-password-P9xw");
        var sealedAfter = vault.Seal(after);
        // The key ring is cached and refreshed in the background, so the new key is picked up soon rather than at once.
        await Eventually.TrueAsync(() => KeyIdOf(sealedAfter = vault.Seal(after)) != KeyIdOf(sealedBefore), TimeSpan.FromSeconds(10), "new seals use the new key");
        await using var otherNode = Node();

        Assert.Equal(2, await database.ScalarAsync<int>("SELECT count(*) FROM data_protection_keys"));
        Assert.Equal(before, vault.Open(sealedBefore));
        Assert.Equal(after, vault.Open(sealedAfter));
        Assert.Equal(before, otherNode.GetRequiredService<SiteCredentialVault>().Open(sealedBefore));
        Assert.DoesNotContain("old-password", sealedBefore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sealed_credentials_that_were_tampered_with_do_not_open_and_say_how_to_recover()
    {
        await using var node = Node();
        var vault = node.GetRequiredService<SiteCredentialVault>();
        var sealedText = vault.Seal(new SiteCredentials("ada@example.com", "secret-password"));
        var tampered = sealedText[..^4] + (sealedText[^4] == 'A' ? "B" : "A") + sealedText[^3..];

        var failure = Assert.Throws<InvalidOperationException>(() => vault.Open(tampered));

        Assert.Contains("rotate the credentials", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_never_show_their_password_as_text()
    {
        var credentials = new SiteCredentials("ada@example.com", "hunter2-but-longer");

        Assert.DoesNotContain("hunter2", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", new RevealedSiteCredentials("ord_1:1", "ada", "hunter2-but-longer", "/sites/x/", 1, null).ToString(), StringComparison.Ordinal);
        Assert.True(credentials.Matches(" ADA@example.com ", "hunter2-but-longer"));
        Assert.False(credentials.Matches("ada@example.com", "hunter2-but-longe"));
        Assert.False(credentials.Matches("bob@example.com", "hunter2-but-longer"));
    }

    /// <summary>The id of the key that sealed a payload: bytes 4–19 after the magic header (Data Protection's payload format).</summary>
    private static Guid KeyIdOf(string sealedText) => new(WebEncoders.Base64UrlDecode(sealedText).AsSpan(4, 16));
}
