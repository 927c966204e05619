using System.Globalization;
using System.Net;
using System.Text;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;
using Courier.Silo.Adapters.SimulatedPayments;
using Courier.WebFront.Pages;
using Microsoft.AspNetCore.DataProtection;

namespace Courier.WebFront.Apis;

/// <summary>
/// The simulated provider's hosted payment page (/pay/{sessionId}), standing in for Stripe's own
/// domain: it has its own form token instead of the store's anti-forgery cookie rule, as Stripe's
/// page would.
/// </summary>
internal static class SimulatedPayPage
{
    public static IEndpointRouteBuilder MapSimulatedPayPage(this IEndpointRouteBuilder app)
    {
        var pay = app.MapGroup("/pay").ExcludeFromDescription().AllowAnonymous();
        pay.MapGet("/{sessionId}", ShowAsync);
        pay.MapPost("/{sessionId}", PayAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(string sessionId, IGrainFactory grains, IDataProtectionProvider protection)
    {
        if (!sessionId.StartsWith(SimulatedPaymentGateway.SessionPrefix, StringComparison.Ordinal)) return NotFound();
        var session = await grains.GetGrain<ISimulatedPaymentGrain>(sessionId).GetAsync();
        return session is null ? NotFound() : Page(session, Protector(protection).Protect(sessionId), null);
    }

    private static async Task<IResult> PayAsync(string sessionId, HttpRequest request, IGrainFactory grains, IDataProtectionProvider protection)
    {
        if (!sessionId.StartsWith(SimulatedPaymentGateway.SessionPrefix, StringComparison.Ordinal)) return NotFound();
        var form = await request.ReadFormAsync();
        if (!ValidToken(Protector(protection), form["token"], sessionId))
            return Results.Problem(statusCode: 400, title: "This payment form has expired.", detail: "Reload the payment page and try again.");
        var grain = grains.GetGrain<ISimulatedPaymentGrain>(sessionId);
        if (await grain.GetAsync() is not { } session) return NotFound();
        if (form["action"] == "cancel") return Results.Redirect(session.Draft.CancelUrl, permanent: false, preserveMethod: false);

        var outcome = await grain.PayAsync(form["card"].ToString());
        if (outcome.RedirectTo is { } next) return Results.Redirect(next);
        return Page((await grain.GetAsync())!, Protector(protection).Protect(sessionId), outcome.DeclineMessage ?? "This payment cannot be completed.");
    }

    private static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Courier.SimulatedPayPage");

    private static bool ValidToken(IDataProtector protector, string? token, string sessionId)
    {
        try
        {
            return token is { Length: > 0 } && protector.Unprotect(token) == sessionId;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static IResult NotFound() => Results.Content(PageShell.Render("Payment page not found",
        "<h1>Payment page not found</h1><p class=\"muted\">This link is not valid. Return to the store and start the checkout again.</p>"),
        "text/html; charset=utf-8", statusCode: 404);

    private static IResult Page(SimulatedSession session, string token, string? error)
    {
        var currency = session.Draft.Currency;
        var lines = new StringBuilder();
        foreach (var line in session.Draft.Lines)
            lines.Append(CultureInfo.InvariantCulture, $"<li><span>{E(line.Name)} <span class=\"muted\">× {line.Quantity}</span></span><span>{new Money(line.UnitAmount * line.Quantity, currency)}</span></li>");
        var open = session.Status == SimulatedSessionStatus.Open;
        var statusNote = session.Status switch
        {
            SimulatedSessionStatus.Expired => "<p class=\"notice\">This payment page has expired. Return to the store to start again.</p>",
            SimulatedSessionStatus.Paid => "<p class=\"notice ok\">This order is paid.</p>",
            SimulatedSessionStatus.Processing => "<p class=\"notice\">Your payment is being confirmed by your bank.</p>",
            SimulatedSessionStatus.Failed => "<p class=\"notice\">This payment failed. Return to the store to try again.</p>",
            _ => "",
        };
        var body = $"""
            <div class="pay">
              <section class="summary" aria-labelledby="summary-title">
                <p class="pay__tag"><span class="badge">Test mode</span></p>
                <h1 id="summary-title"><span class="muted">Pay</span> {new Money(session.AmountTotal, currency)}</h1>
                <ul class="lines">{lines}</ul>
                <p class="total"><span>Total due</span><strong>{new Money(session.AmountTotal, currency)}</strong></p>
              </section>
              <section class="form" aria-labelledby="card-title">
                <h2 id="card-title">Card details</h2>
                {statusNote}
                {(error is null ? "" : $"<p class=\"notice error\" role=\"alert\">{E(error)}</p>")}
                <form method="post" action="/pay/{E(session.SessionId)}">
                  <input type="hidden" name="token" value="{E(token)}">
                  <label for="email">E-mail</label>
                  <input id="email" value="{E(session.Draft.CustomerEmail ?? "")}" readonly>
                  <label for="card">Card number</label>
                  <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required {(open ? "" : "disabled")}>
                  <div class="row">
                    <div><label for="exp">Expiry</label><input id="exp" placeholder="12 / 34" autocomplete="cc-exp" {(open ? "" : "disabled")}></div>
                    <div><label for="cvc">CVC</label><input id="cvc" placeholder="123" autocomplete="cc-csc" {(open ? "" : "disabled")}></div>
                  </div>
                  <button type="submit" name="action" value="pay" {(open ? "" : "disabled")}>Pay {new Money(session.AmountTotal, currency)}</button>
                  <button type="submit" name="action" value="cancel" class="link" formnovalidate>Cancel and return to the store</button>
                </form>
                <details class="cards"><summary>Test cards</summary>
                  <ul>
                    <li><code>4242 4242 4242 4242</code> succeeds</li>
                    <li><code>4000 0000 0000 0002</code> is declined</li>
                    <li><code>4000 0000 0000 0077</code> succeeds after a few seconds</li>
                    <li><code>4000 0000 0000 9995</code> fails after a few seconds</li>
                  </ul>
                </details>
              </section>
            </div>
            """;
        return Results.Content(PageShell.Render($"Pay {new Money(session.AmountTotal, currency)}", body), "text/html; charset=utf-8");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

}
