using Courier.WebFront.Accounts;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.WebFront.Apis;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.SignalR;

namespace Courier.WebFront.Live;

/// <summary>
/// What browsers call on /hubs/live. Watching a topic joins its group; a topic the caller may
/// not see is refused with an error the client receives (never silently ignored).
/// Topics: "order:{id}" (its owner, the guest browser that placed it, or an admin), "cart" (the
/// caller's own cart), "customer" (the signed-in customer's own events), "admin" (admins),
/// "affiliate" (affiliates: their own conversions).
/// </summary>
internal sealed class LiveHub(IGrainFactory grains, Microsoft.AspNetCore.Authorization.IAuthorizationService authorization) : Hub
{
    public async Task<string> Watch(string topic)
    {
        var group = await AuthorizedGroupAsync(topic);
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        return group;
    }

    public async Task Unwatch(string topic)
    {
        var group = await AuthorizedGroupAsync(topic);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
    }

    private async Task<string> AuthorizedGroupAsync(string topic)
    {
        var http = Context.GetHttpContext() ?? throw new HubException("This connection has no HTTP context.");
        var user = Context.User;
        var accountId = http.AccountId();
        switch (topic)
        {
            case "cart":
                return $"cart:{http.CartId()}";
            case "customer" when accountId is not null:
                return $"customer:{accountId}";
            case "admin" when user?.IsInRole("admin") == true:
                return "admin";
            case "affiliate" when accountId is not null && user?.IsInRole("affiliate") == true:
                return $"affiliate:{accountId}";
            case ['o', 'r', 'd', 'e', 'r', ':', ..] when topic.Length < 100:
                var order = await grains.GetGrain<IOrderGrain>(topic["order:".Length..]).GetAsync();
                if (order is not null && await authorization.MayReadAsync(Context.User ?? new(), order)) return topic;
                throw new HubException($"You may not watch {topic}: it is not one of your orders.");
            default:
                throw new HubException(accountId is null
                    ? $"You may not watch \"{topic}\". Sign in first, or watch \"cart\" or one of your orders."
                    : $"You may not watch \"{topic}\" with this account.");
        }
    }
}
