using Courier.Abstractions.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Courier.WebFront.Accounts;

/// <summary>Policy names for <c>RequireAuthorization(...)</c>. Admins may do what technicians may.</summary>
internal static class AuthorizationPolicies
{
    public const string Admin = "Admin";
    public const string Technician = "Technician";
    public const string Affiliate = "Affiliate";
    public const string Customer = "Customer";

    public static AuthorizationBuilder AddCourierPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
        .AddPolicy(Technician, p => p.RequireAuthenticatedUser().RequireRole(Roles.Technician, Roles.Admin))
        .AddPolicy(Affiliate, p => p.RequireAuthenticatedUser().RequireRole(Roles.Affiliate))
        .AddPolicy(Customer, p => p.RequireAuthenticatedUser().RequireRole(Roles.Customer));
}
