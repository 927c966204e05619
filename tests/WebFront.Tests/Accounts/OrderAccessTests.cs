using Courier.WebFront.Accounts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>Every endpoint that takes an order or a delivery id checks who may read the order, in one place.</summary>
public sealed class OrderAccessTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public void Every_endpoint_under_an_order_or_delivery_id_requires_order_access()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route
                && (route.StartsWith("/api/orders/{id}", StringComparison.Ordinal) || route.StartsWith("/api/deliveries/{id}", StringComparison.Ordinal)))
            .ToList();

        Assert.True(endpoints.Count >= 7, $"only {endpoints.Count} order and delivery endpoints were found");
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetMetadata<OrderAccessRequired>() is not null,
            $"{e.DisplayName} takes an order or delivery id but is not in a group with RequireOrderAccess"));
    }
}
