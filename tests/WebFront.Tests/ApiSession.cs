using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Courier.WebFront.Tests;

/// <summary>One browser-like client: keeps its cookies and echoes XSRF-TOKEN the way the pages' script does.</summary>
public sealed class ApiSession : IDisposable
{
    private readonly Uri baseAddress;

    /// <param name="baseAddress">The server's address when it listens on a real port (Kestrel); the in-memory test server otherwise.</param>
    public ApiSession(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, Uri? baseAddress = null)
    {
        this.baseAddress = baseAddress ?? new Uri("http://localhost");
        Cookies = new CookieContainer();
        Client = factory.CreateDefaultClient(this.baseAddress, new CookieContainerHandler(Cookies));
    }

    public HttpClient Client { get; }
    public CookieContainer Cookies { get; }

    public string? Cookie(string name) => Cookies.GetCookies(baseAddress)[name]?.Value;

    public string? XsrfToken => Cookie("XSRF-TOKEN");

    /// <summary>Loads a page as a browser would first, which hands out the XSRF-TOKEN cookie.</summary>
    public async Task<ApiSession> OpenAsync()
    {
        using var response = await Client.GetAsync(new Uri("/health/live", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return this;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(new Uri(path, UriKind.Relative));

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, bool echoXsrf = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (echoXsrf && XsrfToken is { } token) request.Headers.Add("X-XSRF-TOKEN", token);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> RegisterAsync(string email, string password = "correct horse battery", string displayName = "Ada Lovelace") =>
        PostAsync("/api/auth/register", new { email, password, displayName });

    public Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        PostAsync("/api/auth/login", new { email, password });

    public void Dispose() => Client.Dispose();
}
