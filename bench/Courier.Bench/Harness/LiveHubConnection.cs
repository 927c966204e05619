using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Courier.Bench.Harness;

/// <summary>
/// A SignalR client for the bench, speaking the JSON hub protocol over a WebSocket without
/// negotiation: handshake, Watch invocations, and incoming events handed to a callback the moment
/// they are parsed. It stands in for Microsoft.AspNetCore.SignalR.Client, which is not served here;
/// the tests check the hub with the official JavaScript client instead.
/// </summary>
internal sealed class LiveHubConnection : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket socket = new();
    private readonly Action<string, JsonElement> onEvent;
    private readonly Dictionary<string, TaskCompletionSource<string?>> pending = [];
    private readonly CancellationTokenSource closing = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly StringBuilder buffered = new();
    private Task receiving = Task.CompletedTask;
    private int nextInvocation;

    private LiveHubConnection(Action<string, JsonElement> onEvent) => this.onEvent = onEvent;

    /// <summary>Connects to /hubs/live with the given cookies; <paramref name="onEvent"/> gets (event name, first argument).</summary>
    public static async Task<LiveHubConnection> ConnectAsync(Uri baseAddress, string cookieHeader, Action<string, JsonElement> onEvent)
    {
        var connection = new LiveHubConnection(onEvent);
        if (cookieHeader.Length > 0) connection.socket.Options.SetRequestHeader("Cookie", cookieHeader);
        var hub = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/hubs/live" }.Uri;
        await connection.socket.ConnectAsync(hub, CancellationToken.None);
        await connection.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await connection.ReadRecordAsync() ?? throw new InvalidOperationException("The hub closed during the handshake.");
        if (handshake.Contains("\"error\"", StringComparison.Ordinal)) throw new InvalidOperationException($"Hub handshake refused: {handshake}");
        connection.receiving = Task.Run(connection.ReceiveLoopAsync);
        return connection;
    }

    /// <summary>Invokes Watch(topic); throws with the hub's message when it is refused.</summary>
    public async Task WatchAsync(string topic)
    {
        var id = Interlocked.Increment(ref nextInvocation).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (pending) pending[id] = done;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = "Watch", arguments = new[] { topic } }));
        if (await done.Task.WaitAsync(TimeSpan.FromSeconds(30)) is { } error) throw new InvalidOperationException($"Watch({topic}) refused: {error}");
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (await ReadRecordAsync() is { } record)
                Dispatch(record);
        }
        catch (Exception) when (closing.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    private void Dispatch(string record)
    {
        using var message = JsonDocument.Parse(record);
        var root = message.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1 when root.TryGetProperty("target", out var target) && root.GetProperty("arguments") is { ValueKind: JsonValueKind.Array } args:
                onEvent(target.GetString()!, args.GetArrayLength() > 0 ? args[0].Clone() : default);
                break;
            case 3:
                var id = root.GetProperty("invocationId").GetString()!;
                TaskCompletionSource<string?>? done;
                lock (pending) pending.Remove(id, out done);
                done?.TrySetResult(root.TryGetProperty("error", out var error) ? error.GetString() : null);
                break;
            case 6:
                _ = SendAsync("""{"type":6}""");
                break;
        }
    }

    /// <summary>The next complete record (one JSON message), or null when the socket closed.</summary>
    private async Task<string?> ReadRecordAsync()
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var text = buffered.ToString();
                var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
                if (end >= 0)
                {
                    buffered.Remove(0, end + 1);
                    return text[..end];
                }
                var read = await socket.ReceiveAsync(chunk.AsMemory(), closing.Token);
                if (read.MessageType == WebSocketMessageType.Close) return null;
                buffered.Append(Encoding.UTF8.GetString(chunk, 0, read.Count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task SendAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await sending.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            sending.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        socket.Dispose();
        closing.Dispose();
        sending.Dispose();
    }
}
