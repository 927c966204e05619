using Microsoft.Extensions.Logging;
using Npgsql;

namespace Courier.Silo.Hosting;

/// <summary>Waits for PostgreSQL at start-up, retrying with backoff for a bounded time.</summary>
internal static partial class DatabaseStartup
{
    public static async Task WaitUntilReachableAsync(NpgsqlDataSource dataSource, TimeSpan patience, ILogger log, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                var waited = DateTimeOffset.UtcNow - started;
                if (waited + delay > patience)
                    throw new DatabaseUnreachableException(
                        $"PostgreSQL is unreachable at {Masked(dataSource.ConnectionString)} after {waited.TotalSeconds:0} s: {ex.Message}. " +
                        "Check that the server runs and the connection string (ConnectionStrings__Courier or COURIER_DATABASE) is right.", ex);
                LogWaiting(log, ex.Message, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    /// <summary>The connection string with its password replaced, safe to print.</summary>
    public static string Masked(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password)) builder.Password = "*****";
        return builder.ConnectionString;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL not reachable yet ({Reason}); retrying in {Delay}")]
    private static partial void LogWaiting(ILogger log, string reason, TimeSpan delay);
}

/// <summary>The database could not be reached within the start-up patience.</summary>
public sealed class DatabaseUnreachableException(string message, Exception inner) : Exception(message, inner);
