using System.IO.Compression;
using System.Text;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Silo.Hosting;
using Courier.Silo.SiteAccess;
using Courier.Silo.Storage;
using Courier.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Npgsql;
using Courier.Silo.Deliveries;

namespace Courier.Silo.Tests.SiteAccess;

/// <summary>The built-in host serves only the plain files inside a site's zip, whatever the request or the zip's entry names say.</summary>
public sealed class HostedSiteFilesTests : IAsyncLifetime
{
    private readonly string filesRoot = Path.Combine(Path.GetTempPath(), $"courier-site-files-{Guid.NewGuid():N}");
    private TestSilo silo = null!;
    private HostedSites sites = null!;

    public async Task InitializeAsync()
    {
        silo = await TestSilo.StartAsync(new InMemoryStore(), services => { });
        var zipPath = Path.Combine(filesRoot, "products", "prod_site", "site.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(zipPath)!);
        Directory.CreateDirectory(Path.Combine(filesRoot, "products"));
        await File.WriteAllTextAsync(Path.Combine(filesRoot, "products", "secret.txt"), "SECRET OUTSIDE THE SITE");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in new[]
            {
                ("site/index.html", "<h1>Home</h1>"), ("site/styles.css", "body{}"), ("site/docs/index.html", "<h1>Docs</h1>"),
                ("site/../../secret.txt", "SECRET FROM AN EVIL ENTRY"), ("site/.env", "SECRET=1"),
            })
            {
                await using var stream = zip.CreateEntry(name).Open();
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
            }
        }
        await silo.Grains.GetGrain<IProductGrain>("prod_site").SaveAsync(new ProductDraft("site-kit", "Site kit", "A site.", "# Site", ["/x.svg"],
            new Money(1000, "usd"), DeliveryKind.SiteAccess, null, null, ["site"], DownloadFile: "products/prod_site/site.zip"));
        sites = new HostedSites(NpgsqlDataSource.Create("Host=unused.invalid"), silo.Grains,
            new SiteCredentialVault(new EphemeralDataProtectionProvider()), Options.Create(new FileStoreOptions { Root = filesRoot }));
    }

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        Directory.Delete(filesRoot, recursive: true);
    }

    private static readonly HostedSite Site = new("site-abc", "ord_1:1", "prod_site", "sealed", 1, null);

    [Theory]
    [InlineData("", "<h1>Home</h1>")]
    [InlineData("index.html", "<h1>Home</h1>")]
    [InlineData("styles.css", "body{}")]
    [InlineData("docs/", "<h1>Docs</h1>")]
    [InlineData("docs/index.html", "<h1>Docs</h1>")]
    public async Task Site_files_are_served_by_their_path_inside_the_site(string path, string expected)
    {
        var file = await sites.FileAsync(Site, path, CancellationToken.None);

        Assert.Equal(expected, Encoding.UTF8.GetString(file!.Content));
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("../../secret.txt")]
    [InlineData("docs/../../secret.txt")]
    [InlineData("..%2F..%2Fsecret.txt")]
    [InlineData(".env")]
    [InlineData("/etc/passwd")]
    [InlineData("docs//index.html")]
    [InlineData("docs\\..\\..\\secret.txt")]
    [InlineData("missing.html")]
    public async Task Anything_but_a_plain_file_of_the_site_is_not_found(string path)
    {
        Assert.Null(await sites.FileAsync(Site, path, CancellationToken.None));
    }

    [Fact]
    public void Site_ids_are_lowercase_words_joined_by_hyphens()
    {
        Assert.True(HostedSites.IsWellFormedId("aurora-k3m9x2pq7d"));
        Assert.False(HostedSites.IsWellFormedId("../aurora"));
        Assert.False(HostedSites.IsWellFormedId("Aurora"));
        Assert.False(HostedSites.IsWellFormedId(new string('a', 65)));
    }

    [Fact]
    public async Task Built_in_host_makes_a_random_site_and_password_and_refuses_a_product_without_site_files()
    {
        var host = new BuiltinSiteHost(new LocalFileStore(Options.Create(new FileStoreOptions { Root = filesRoot })));
        SiteAccountOrder Order(string? files) => new("ord_1:1", "ord_1", "prod_site", "site-kit", "Site kit", files, "ada@example.com");

        var first = await host.CreateAsync(Order("products/prod_site/site.zip"), CancellationToken.None);
        var second = await host.CreateAsync(Order("products/prod_site/site.zip"), CancellationToken.None);
        var noFiles = await host.CreateAsync(Order(null), CancellationToken.None);
        var missing = await host.CreateAsync(Order("products/prod_site/gone.zip"), CancellationToken.None);

        Assert.Matches("^site-[a-z2-9]{10}$", first.Account);
        Assert.Equal($"/sites/{first.Account}/", first.LoginUrl);
        Assert.Equal("ada@example.com", first.Credentials!.Username);
        Assert.Equal(BuiltinSiteHost.PasswordLength, first.Credentials.Password.Length);
        Assert.NotEqual(first.Account, second.Account);
        Assert.NotEqual(first.Credentials.Password, second.Credentials!.Password);
        Assert.Equal("Site kit has no site files to host; upload the site's zip as the product's file in the admin console.", noFiles.Error);
        Assert.Contains("missing from the file store", missing.Error, StringComparison.Ordinal);
    }
}
