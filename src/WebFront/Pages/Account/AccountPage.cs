using System.Security.Claims;
using Courier.WebFront.Commerce;
using Microsoft.AspNetCore.Components;

namespace Courier.WebFront.Pages.Account;

/// <summary>
/// What every account page knows about its visitor. A page that needs a signed-in customer calls
/// <see cref="SignInFirst"/>, which sends anonymous visitors to /signin and back here afterwards.
/// </summary>
public abstract class AccountPage : ComponentBase
{
    [CascadingParameter] public HttpContext? HttpContext { get; set; }
    [Inject] protected NavigationManager Navigation { get; set; } = null!;

    protected string? AccountId => HttpContext?.AccountId();

    protected bool SignedIn => AccountId is not null;

    protected string DisplayName => HttpContext?.User.FindFirstValue(ClaimTypes.Name) ?? "";

    protected string Email => HttpContext?.User.FindFirstValue(ClaimTypes.Email) ?? "";

    /// <summary>True (and a redirect to the sign-in page is under way) when nobody is signed in.</summary>
    protected bool SignInFirst()
    {
        if (SignedIn) return false;
        var here = new Uri(Navigation.Uri).PathAndQuery;
        Navigation.NavigateTo($"/signin?returnUrl={Uri.EscapeDataString(here)}");
        return true;
    }
}
