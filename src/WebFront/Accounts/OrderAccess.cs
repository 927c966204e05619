using System.Security.Claims;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Authorization;

namespace Courier.WebFront.Accounts;

/// <summary>
/// Who may read an order — and so its deliveries, its hosted-site sign-in and its live updates: the
/// account that placed it, the browser whose cart placed it as a guest, and admins. ASP.NET Core
/// resource-based authorization (<see cref="Policy"/>, decided by <see cref="OrderReaderHandler"/>).
/// Endpoint groups under an order or delivery id take the check with <see cref="RequireOrderAccess"/>,
/// so an endpoint added to them cannot forget it; pages and the hub ask <see cref="MayReadAsync"/>.
/// </summary>
internal static class OrderAccess
{
    public const string Policy = "OrderReader";

    public static AuthorizationBuilder AddOrderAccess(this AuthorizationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IAuthorizationHandler, OrderReaderHandler>();
        return builder.AddPolicy(Policy, p => p.AddRequirements(new OrderReaderRequirement()));
    }

    public static async Task<bool> MayReadAsync(this IAuthorizationService authorization, ClaimsPrincipal user, OrderView order) =>
        (await authorization.AuthorizeAsync(user, order, Policy)).Succeeded;

    /// <summary>
    /// Every endpoint of the group reads the route value "id" (an order id, or a delivery id when
    /// <paramref name="isDeliveryId"/>), loads its order and answers <paramref name="notFound"/> unless
    /// the caller may read it; the order is then in <see cref="AuthorizedOrder"/>.
    /// </summary>
    public static RouteGroupBuilder RequireOrderAccess(this RouteGroupBuilder group, bool isDeliveryId, Func<string, IResult> notFound) =>
        group.WithMetadata(new OrderAccessRequired()).AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            if (http.GetRouteValue("id") is not string id) return await next(invocation);
            string? orderId = isDeliveryId ? (DeliveryId.TryParse(id, out var delivery) ? delivery.OrderId : null) : id;
            var order = orderId is null ? null : await http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IOrderGrain>(orderId).GetAsync();
            if (order is null || !await http.RequestServices.GetRequiredService<IAuthorizationService>().MayReadAsync(http.User, order))
                return notFound(id);
            http.Items[typeof(OrderView)] = order;
            return await next(invocation);
        });

    /// <summary>The order <see cref="RequireOrderAccess"/> checked for this request.</summary>
    public static OrderView AuthorizedOrder(this HttpContext http) =>
        http.Items[typeof(OrderView)] as OrderView
        ?? throw new InvalidOperationException("No order was authorized for this request: map the endpoint in a group with RequireOrderAccess.");
}

internal sealed class OrderReaderRequirement : IAuthorizationRequirement;

/// <summary>Marks an endpoint whose order or delivery id is checked by <see cref="OrderAccess.RequireOrderAccess"/> (a test finds any that is not).</summary>
internal sealed class OrderAccessRequired;

/// <summary>Grants <see cref="OrderReaderRequirement"/> on an <see cref="OrderView"/> to its account, its guest browser and admins.</summary>
internal sealed class OrderReaderHandler(IHttpContextAccessor http) : AuthorizationHandler<OrderReaderRequirement, OrderView>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OrderReaderRequirement requirement, OrderView order)
    {
        var user = context.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        if (signedIn && user.IsInRole(Roles.Admin)) context.Succeed(requirement);
        else if (order.AccountId is { } owner)
        {
            if (signedIn && owner == user.FindFirstValue(ClaimTypes.NameIdentifier)) context.Succeed(requirement);
        }
        else if (http.HttpContext?.Request.Cookies.TryGetValue(Shopper.CartCookie, out var token) == true && order.CartId == Shopper.AnonymousCart(token))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
