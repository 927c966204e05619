using Courier.WebFront.Accounts;
using Courier.WebFront.Hosting;
using Orleans.Dashboard;

namespace Courier.WebFront.Pages;

/// <summary>/admin/orleans: the Orleans dashboard (silos, grains, calls, reminders) for operators. Admins only.</summary>
internal static class OrleansDashboardPage
{
    public const string Path = "/admin/orleans";

    public static IEndpointRouteBuilder MapOrleansDashboardForAdmins(this IEndpointRouteBuilder app)
    {
        app.MapOrleansDashboard(Path).WithMetadata(ContentSecurityPolicy.OrleansDashboard).ExcludeFromDescription().RequireAuthorization(AuthorizationPolicies.Admin);
        return app;
    }
}
