using System.Net;
using Courier.TestSupport;
using Courier.WebFront.Pages.Identity;
using Courier.WebFront.Pages.Storefront;

namespace Courier.WebFront.Tests.Storefront;

/// <summary>The front-end build's output and the small pieces of page logic that need no server.</summary>
public sealed class FrontEndBuildTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static string WebRoot => Path.Combine(RepositoryPaths.Root, "src", "WebFront", "wwwroot");

    [Fact]
    public void Build_writes_the_scripts_the_icon_sprite_and_the_font_into_wwwroot()
    {
        Assert.True(File.Exists(Path.Combine(WebRoot, "js", "site.js")), "wwwroot/js/site.js is built by dotnet build (npm run build)");
        Assert.True(File.Exists(Path.Combine(WebRoot, "fonts", "inter-latin-wght-normal.woff2")));
        var sprite = File.ReadAllText(Path.Combine(WebRoot, "icons.svg"));
        var listed = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "src", "WebFront", "Client", "icons.txt"))
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, name => Assert.Contains($"<symbol id=\"{name}\"", sprite, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Built_script_is_served_and_loads_its_page_modules_from_chunks()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/js/site.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("chunks/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/icons.svg", "image/svg+xml")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    [InlineData("/css/courier.css", "text/css")]
    [InlineData("/fonts/inter-latin-wght-normal.woff2", "font/woff2")]
    public async Task Static_files_are_served_beside_the_pages_catch_all_404(string path, string mediaType)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Product_markdown_escapes_html_and_drops_unsafe_links()
    {
        var html = ProductMarkdown.ToHtml("## Hi\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) [docs](https://example.com/docs) [home](/templates)").Value;

        Assert.Contains("<h2>Hi</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/docs\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/templates\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/checkout", true)]
    [InlineData("/account/orders?x=1", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Return_url_after_sign_in_must_be_a_local_path(string? url, bool local) =>
        Assert.Equal(local, LocalReturnUrl.IsLocal(url));
}
