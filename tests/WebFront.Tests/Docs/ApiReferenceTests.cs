using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Courier.WebFront.Tests.Docs;

public sealed partial class ApiReferenceTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private static readonly string[] OperationMethods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Fact]
    public async Task Api_reference_page_is_served_to_anonymous_visitors_and_draws_on_the_OpenApi_document()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/docs/api");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Courier API</title>", page, StringComparison.Ordinal);
        // Scalar resolves the document's address against the app's base (what is left of the page's path without /docs/api/): /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", page, StringComparison.Ordinal);
        Assert.Equal("/docs/api/", response.RequestMessage!.RequestUri!.AbsolutePath);
        var scripts = ScriptSource().Matches(page).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            var address = new Uri(response.RequestMessage.RequestUri, script);
            Assert.Equal("localhost", address.Host); // served by Courier itself, nothing from a CDN
            using var scriptResponse = await client.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, scriptResponse.StatusCode);
        }
        using var document = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_gives_every_operation_a_summary()
    {
        using var client = factory.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => OperationMethods.Contains(operation.Name))
                .Select(operation => (Name: $"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        var withoutSummary = operations
            .Where(operation => !operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            .Select(operation => operation.Name);
        Assert.Empty(withoutSummary);
    }

    [Fact]
    public async Task Server_only_fields_are_neither_in_the_OpenApi_document_nor_in_responses()
    {
        using var client = factory.CreateClient();
        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var schemas = JsonDocument.Parse(document).RootElement.GetProperty("components").GetProperty("schemas");

        // The order's cart and a link's row id travel between grains and silos, never to API clients.
        Assert.True(schemas.TryGetProperty("OrderView", out var order), "OrderView is described");
        Assert.False(order.GetProperty("properties").TryGetProperty("cartId", out _));
        Assert.True(schemas.TryGetProperty("DownloadLinkView", out var link), "DownloadLinkView is described");
        Assert.False(link.GetProperty("properties").TryGetProperty("linkId", out _));
        Assert.True(order.GetProperty("properties").TryGetProperty("status", out _)); // the rest is there
    }

    [GeneratedRegex("<script[^>]+src=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
