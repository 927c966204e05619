using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Courier.Abstractions.Live;
using Courier.Silo.Grains;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Courier.Silo.Storage;

/// <summary>
/// Relays committed live updates to the other nodes with PostgreSQL NOTIFY, after the commit and in
/// batches. NOTIFY takes a database-wide lock when its transaction commits, so one NOTIFY per grain
/// commit would serialize every commit that publishes; a batch per few milliseconds does not.
/// Live updates are hints (clients re-read state on reconnect), so one lost with a crashed node is
/// acceptable.
/// </summary>
internal sealed partial class PostgresLiveNotifier : ILiveUpdateFeed, IAsyncDisposable
{
    public const string Channel = "courier_live";
    private const int MaxPayloadBytes = 7900;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger log;
    private readonly Channel<LiveUpdate> pending = System.Threading.Channels.Channel.CreateUnbounded<LiveUpdate>(new() { SingleReader = true });
    private readonly Task relay;

    public PostgresLiveNotifier(NpgsqlDataSource dataSource, ILogger<PostgresLiveNotifier> log)
    {
        this.dataSource = dataSource;
        this.log = log;
        relay = Task.Run(RelayAsync);
    }

    public void Enqueue(LiveUpdate update) => pending.Writer.TryWrite(update);

    private async Task RelayAsync()
    {
        var batch = new List<string>();
        while (await pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var size = 2;
            while (pending.Reader.TryPeek(out var next))
            {
                var json = Serialize(next);
                var bytes = Encoding.UTF8.GetByteCount(json) + 1;
                if (batch.Count > 0 && size + bytes > MaxPayloadBytes) break;
                pending.Reader.TryRead(out _);
                batch.Add(json);
                size += bytes;
            }
            try
            {
                await using var command = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
                command.Parameters.Add(new NpgsqlParameter { Value = Channel });
                command.Parameters.Add(new NpgsqlParameter { Value = "[" + string.Join(',', batch) + "]" });
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                LogRelayFailed(log, ex, batch.Count);
            }
            batch.Clear();
        }
    }

    private string Serialize(LiveUpdate update)
    {
        var json = JsonSerializer.Serialize(update, GrainJson.Options);
        if (Encoding.UTF8.GetByteCount(json) < MaxPayloadBytes - 2) return json;
        LogPayloadTooLarge(log, update.Kind, update.Source);
        using var empty = JsonDocument.Parse("{}");
        return JsonSerializer.Serialize(update with { Data = empty.RootElement.Clone() }, GrainJson.Options);
    }

    /// <summary>Reads a NOTIFY payload: an array of updates (or, from older nodes, one update).</summary>
    public static IReadOnlyList<LiveUpdate> Parse(string payload) =>
        payload.StartsWith('[')
            ? JsonSerializer.Deserialize<List<LiveUpdate>>(payload, GrainJson.Options) ?? []
            : JsonSerializer.Deserialize<LiveUpdate>(payload, GrainJson.Options) is { } single ? [single] : [];

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await relay.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not relay {Count} live updates to other nodes")]
    private static partial void LogRelayFailed(ILogger log, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live update {Kind} from {Source} is too large for NOTIFY; other nodes receive it without data")]
    private static partial void LogPayloadTooLarge(ILogger log, string kind, string source);

    public async Task ListenAsync(Func<LiveUpdate, ValueTask> onUpdate, Action onConnected, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });
        connection.Notification += (_, e) => received.Writer.TryWrite(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        onConnected();

        var pump = Task.Run(async () =>
        {
            await foreach (var payload in received.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var update in ParseNotifyPayload(payload))
                    await onUpdate(update).ConfigureAwait(false);
            }
        }, cancellationToken);
        try
        {
            while (true)
                await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            received.Writer.TryComplete();
            await UnlistenAsync(connection).ConfigureAwait(false);
            try { await pump.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>The pool does not reset connections (NoResetOnClose), so this one must not go back still listening.</summary>
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection is discarded by the pool anyway.
        }
    }

    private IReadOnlyList<LiveUpdate> ParseNotifyPayload(string payload)
    {
        try
        {
            return PostgresLiveNotifier.Parse(payload);
        }
        catch (JsonException ex)
        {
            LogBadPayload(ex);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a live-update notification that could not be read")]
    private partial void LogBadPayload(Exception ex);
}
