using System.Globalization;
using System.Net;
using System.Text;
using Courier.Silo.Adapters.Mail;
using Courier.WebFront.Accounts;

namespace Courier.WebFront.Pages;

/// <summary>
/// /dev/mail: the e-mails Courier would have sent, when no SMTP server is configured (the embedded
/// demo). Admins only.
/// </summary>
internal static class DevMailboxPage
{
    public static IEndpointRouteBuilder MapDevMailboxPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/mail", ShowAsync).ExcludeFromDescription().RequireAuthorization(AuthorizationPolicies.Admin);
        return app;
    }

    private static async Task<IResult> ShowAsync(string? to, DatabaseMailbox mailbox, CancellationToken cancellationToken)
    {
        var mails = await mailbox.ListAsync(to is { Length: > 0 } ? to : null, 100, cancellationToken);
        var list = new StringBuilder();
        foreach (var mail in mails)
            list.Append(CultureInfo.InvariantCulture, $"""
                <details class="mail"><summary><strong>{E(mail.Subject)}</strong> <span class="muted">to {E(mail.To)} · {mail.SentAt:yyyy-MM-dd HH:mm:ss} UTC · {E(mail.Kind)}</span></summary>
                <pre>{E(mail.TextBody)}</pre></details>
                """);
        var body = $"""
            <div class="pay pay--single">
              <section>
                <p class="pay__tag"><span class="badge">Dev mailbox</span></p>
                <h1>{mails.Count} e-mail{(mails.Count == 1 ? "" : "s")}</h1>
                <p class="muted">Mail is kept here instead of being sent because no SMTP server is configured (Mail__SmtpHost).</p>
                {(mails.Count == 0 ? "<p class=\"notice\">Nothing yet. Place an order to see its receipt here.</p>" : list.ToString())}
              </section>
            </div>
            """;
        return Results.Content(PageShell.Render("Dev mailbox", body), "text/html; charset=utf-8");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
