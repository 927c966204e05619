using System.Net.Sockets;
using Npgsql;

namespace Courier.Silo.Storage;

/// <summary>
/// Tells a failure because PostgreSQL is out of reach (restarting, failing over, a cut connection)
/// from any other failure, so the caller can say "try again in a moment" (503) instead of "error" (500).
/// Recognised in the exception itself or anything it wraps, and by type name where an exception
/// crossed a grain call as Orleans' stand-in for a type it could not rebuild.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>PostgreSQL's error classes for a connection that failed or a server going away: 08 (connection exception), 57P (operator intervention: shutdown, cannot connect now).</summary>
    private static bool IsOutageState(string? sqlState) =>
        sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("57P", StringComparison.Ordinal));

    public static bool IsCause(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 10; depth++, exception = exception.InnerException)
        {
            switch (exception)
            {
                case PostgresException postgres:
                    return IsOutageState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException:
                    return true;
                case Orleans.Serialization.UnavailableExceptionFallbackException fallback
                    when fallback.ExceptionType?.StartsWith("Npgsql.", StringComparison.Ordinal) == true:
                    return !fallback.ExceptionType.EndsWith(".PostgresException", StringComparison.Ordinal); // a server error crossed without its SQLSTATE: not an outage
            }
        }
        return false;
    }
}
