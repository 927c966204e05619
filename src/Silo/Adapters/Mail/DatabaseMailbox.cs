using Courier.Grains.Mail;
using Npgsql;

namespace Courier.Silo.Adapters.Mail;

/// <summary>Keeps every e-mail in the <c>mailbox</c> table instead of sending it (embedded demo, tests); readable at /dev/mail.</summary>
internal sealed class DatabaseMailbox(NpgsqlDataSource dataSource, TimeProvider clock) : IMailer
{
    public async Task SendAsync(OutgoingEmail email, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO mailbox (id, recipient, subject, text_body, html_body, kind, order_id, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING");
        foreach (var value in new object?[] { messageId, email.To, email.Subject, email.TextBody, email.HtmlBody, email.Kind, email.OrderId, clock.GetUtcNow() })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MailboxEntry>> ListAsync(string? recipient, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, recipient, subject, text_body, html_body, kind, order_id, sent_at FROM mailbox WHERE ($1::text IS NULL OR recipient = $1) ORDER BY sent_at DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)recipient ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        var entries = new List<MailboxEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            entries.Add(new MailboxEntry(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7)));
        return entries;
    }
}

public sealed record MailboxEntry(Guid Id, string To, string Subject, string TextBody, string HtmlBody, string Kind, string? OrderId, DateTimeOffset SentAt);
