using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Storefront;

/// <summary>A page that throws while rendering: the browser gets the friendly 500 page, the API stays JSON.</summary>
public sealed class PageErrorTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Page_that_fails_while_rendering_shows_the_friendly_error_page_with_status_500()
    {
        using var broken = factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IHttpContextAccessor, ThrowingAccessor>()));
        using var client = broken.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/templates", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await client.SendAsync(request);
        using var api = await client.GetAsync(new Uri("/api/products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"server-error\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/templates\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("page cart is broken", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    private sealed class ThrowingAccessor : IHttpContextAccessor
    {
        public HttpContext? HttpContext
        {
            get => throw new InvalidOperationException("page cart is broken (test)");
            set { }
        }
    }
}
