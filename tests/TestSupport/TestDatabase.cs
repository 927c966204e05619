using Npgsql;

namespace Courier.TestSupport;

/// <summary>
/// A fresh, empty PostgreSQL database for one test (class), dropped afterwards. The server is the
/// throwaway one `./courier test` starts and names in COURIER_TEST_DATABASE.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string adminConnectionString;

    private TestDatabase(string adminConnectionString, string name)
    {
        this.adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("COURIER_TEST_DATABASE") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "COURIER_TEST_DATABASE is not set. Run the tests with ./courier test, which starts a throwaway PostgreSQL, " +
                "or set it to a connection string of a PostgreSQL server where the user may create databases.");

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = AdminConnectionString;
        var name = $"courier_t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(admin, name);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
