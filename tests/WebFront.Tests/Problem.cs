using System.Text.Json;

namespace Courier.WebFront.Tests;

/// <summary>An RFC 7807 body as the tests read it.</summary>
public sealed record Problem(string Raw, JsonElement Body)
{
    public string? Type => Body.TryGetProperty("type", out var v) ? v.GetString() : null;
    public string? Title => Body.TryGetProperty("title", out var v) ? v.GetString() : null;
    public string? Detail => Body.TryGetProperty("detail", out var v) ? v.GetString() : null;
    public int Status => Body.GetProperty("status").GetInt32();

    public IReadOnlyList<string> ErrorFields =>
        Body.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(p => p.Name)] : [];

    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var raw = await response.Content.ReadAsStringAsync();
        return new Problem(raw, JsonDocument.Parse(raw).RootElement.Clone());
    }
}
