namespace Courier.WebFront.Accounts;

/// <summary>
/// Runs after every successful registration or sign-in, once the session cookie is issued — e.g.
/// to merge the anonymous cart into the account's. Register implementations as services
/// (<c>services.AddScoped&lt;ISignInHook, CartMerge&gt;()</c>); all registered hooks run, in
/// registration order. A hook that throws is logged and does not undo the sign-in.
/// </summary>
public interface ISignInHook
{
    Task OnSignedInAsync(HttpContext context, string accountId);
}
