using System.Text.Json;
using Npgsql;

namespace Courier.Silo.Accounts;

/// <summary>One row of the audit log about, or by, a person.</summary>
public sealed record AuditRecord(DateTimeOffset At, string ActorId, string Action, string Target, JsonElement Details);

/// <summary>One sign-in, failed sign-in, registration or reset request made with a person's address.</summary>
public sealed record SignInRecord(DateTimeOffset At, string Kind, string ClientAddress);

/// <summary>One e-mail Courier kept in its mailbox for a person (the embedded store keeps every e-mail; with SMTP none are kept).</summary>
public sealed record EmailRecord(DateTimeOffset SentAt, string Kind, string Subject, string TextBody, string? OrderId);

/// <summary>
/// What the tables outside grain state hold about one person, for their data export: the audit
/// log entries about their account or made by them, their sign-in activity, and their kept e-mails.
/// </summary>
public sealed class PersonalDataRecords(NpgsqlDataSource dataSource)
{
    private const int Most = 10_000;

    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT at, actor_id, action, target, details::text FROM audit_log WHERE target = $1 OR actor_id = $2 ORDER BY at, id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = $"account:{accountId}" });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = Most });
        var rows = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new AuditRecord(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                JsonDocument.Parse(reader.GetString(4)).RootElement.Clone()));
        return rows;
    }

    public async Task<IReadOnlyList<SignInRecord>> SignInsAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT at, kind, client_address FROM sign_in_activity WHERE email = $1 ORDER BY at, id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        command.Parameters.Add(new NpgsqlParameter { Value = Most });
        var rows = new List<SignInRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new SignInRecord(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    public async Task<IReadOnlyList<EmailRecord>> EmailsAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sent_at, kind, subject, text_body, order_id FROM mailbox WHERE lower(recipient) = $1 ORDER BY sent_at, id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        command.Parameters.Add(new NpgsqlParameter { Value = Most });
        var rows = new List<EmailRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new EmailRecord(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        return rows;
    }
}
