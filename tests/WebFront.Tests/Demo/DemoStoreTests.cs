using System.Net;
using System.Text.Json;

namespace Courier.WebFront.Tests.Demo;

/// <summary>The web front as ./courier run starts it: embedded, so the demo store is seeded.</summary>
public sealed class EmbeddedWebFactory : CourierWebFactory
{
    public string FilesRoot { get; } = Path.Combine(Path.GetTempPath(), $"courier-demo-web-{Guid.NewGuid():N}");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Courier:Embedded"] = "true",
        ["Courier:Files:Root"] = FilesRoot,
    };
}

public sealed class DemoStoreTests(EmbeddedWebFactory factory) : IClassFixture<EmbeddedWebFactory>
{
    [Fact]
    public async Task Embedded_run_lists_the_demo_catalog_with_images_it_serves()
    {
        using var client = factory.CreateClient();

        var page = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/products", UriKind.Relative))).RootElement;

        Assert.True(page.GetProperty("count").GetInt32() >= 12);
        var image = page.GetProperty("items")[0].GetProperty("images")[0].GetString()!;
        using var response = await client.GetAsync(new Uri(image, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(File.Exists(Path.Combine(factory.FilesRoot, "products", "prod_aurora", "aurora-saas.zip")));
    }
}

public sealed class NonEmbeddedStoreTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Run_against_an_own_database_seeds_nothing()
    {
        using var client = factory.CreateClient();

        var page = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/products", UriKind.Relative))).RootElement;

        Assert.Equal(0, page.GetProperty("count").GetInt32());
    }
}
