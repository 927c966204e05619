using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Courier.TestSupport;

/// <summary>
/// A TCP forwarder on 127.0.0.1 between the app and its PostgreSQL, which a test can shut: every
/// open connection is cut and new ones are refused, as when the database restarts or fails over;
/// opened again, connections go through as before. Outages without touching the shared server.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<TcpClient, byte> open = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly string targetHost;
    private readonly int targetPort;
    private volatile bool shut;

    private TcpGate(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A gate in front of the database of <paramref name="connectionString"/>, and the same connection string through the gate.</summary>
    public static (TcpGate Gate, string ConnectionString) InFrontOf(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var gate = new TcpGate(builder.Host ?? "127.0.0.1", builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = gate.Port;
        return (gate, builder.ConnectionString);
    }

    /// <summary>Cuts every connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Shut()
    {
        shut = true;
        foreach (var client in open.Keys) client.Dispose();
        open.Clear();
    }

    public void Open() => shut = false;

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            if (shut)
            {
                client.Client.LingerState = new LingerOption(true, 0); // a reset, as from a closed port
                client.Dispose();
                continue;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        open[client] = 0;
        open[server] = 0;
        try
        {
            await server.ConnectAsync(targetHost, targetPort, stopping.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), stopping.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), stopping.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception)
        {
            // a cut connection ends here
        }
        finally
        {
            open.TryRemove(client, out _);
            open.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        foreach (var client in open.Keys) client.Dispose();
        stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
