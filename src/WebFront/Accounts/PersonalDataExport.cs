using Courier.Abstractions.Accounts;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Silo.Accounts;
using Courier.Silo.Commerce;
using Courier.Silo.Deliveries;
using Courier.WebFront.Apis;

namespace Courier.WebFront.Accounts;

/// <summary>Everything Courier holds about one person, as their data export (one JSON file).</summary>
internal sealed record PersonalData(
    DateTimeOffset ExportedAt,
    AccountView Account,
    NotificationPreferences NotificationPreferences,
    IReadOnlyList<AccountSession> Sessions,
    IReadOnlyList<OrderDetail> Orders,
    IReadOnlyList<SignInRecord> SignInActivity,
    IReadOnlyList<EmailRecord> Emails,
    IReadOnlyList<AuditRecord> AuditLog);

/// <summary>
/// Collects <see cref="PersonalData"/> from the account grain (profile, preferences, sessions), the
/// account's orders with their deliveries and timelines, and the tables outside grain state; each
/// export is audited, naming who asked (the owner, or an admin on the owner's request).
/// </summary>
internal sealed class PersonalDataExport(IGrainFactory grains, OrdersReadModel orders, DownloadLinks links, PersonalDataRecords records, TimeProvider clock)
{
    /// <summary>The person's data, or null when there is no account for <paramref name="email"/>.</summary>
    public async Task<PersonalData?> CollectAsync(string email, string actorId, CancellationToken cancellationToken)
    {
        var account = grains.GetGrain<IAccountGrain>(AccountEmail.Normalize(email));
        if (await account.GetAsync() is not { } view) return null;
        var details = new List<OrderDetail>();
        foreach (var summary in await orders.ForAccountAsync(view.Id, cancellationToken))
            if (await grains.GetGrain<IOrderGrain>(summary.Id).GetAsync() is { } order)
                details.Add(await OrdersApi.DetailAsync(order, grains, orders, links, cancellationToken));
        var data = new PersonalData(
            clock.GetUtcNow(),
            view,
            await account.GetNotificationPreferencesAsync(),
            await account.ListSessionsAsync(),
            details,
            await records.SignInsAsync(view.Email, cancellationToken),
            await records.EmailsAsync(view.Email, cancellationToken),
            await records.AuditAsync(view.Id, cancellationToken));
        await account.NoteDataExportedAsync(actorId);
        return data;
    }

    /// <summary>The export as a download: a dated file name, never cached.</summary>
    public static IResult AsDownload(HttpContext http, PersonalData data)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"courier-data-{data.ExportedAt:yyyy-MM-dd}.json\"";
        return TypedResults.Json(data);
    }
}
