using System.Net;
using System.Text.Json;
using Courier.Silo.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Courier.WebFront.Tests;

public sealed class HealthApiTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Ready_reports_database_migrations_and_runtime_up()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal(1, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM schema_version WHERE version = 1"));
    }

    [Fact]
    public async Task Live_answers_without_touching_the_database()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_health_endpoints()
    {
        using var client = factory.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;

        Assert.True(document.GetProperty("paths").TryGetProperty("/health/ready", out _));
    }

    [Fact]
    public async Task Unknown_path_gets_a_problem_details_404()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task Unreachable_database_gives_up_after_its_patience_naming_the_server_with_the_password_masked()
    {
        var free = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=courier;Password=s3cret-Pa55;Database=courier;Timeout=1";
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var error = await Assert.ThrowsAsync<DatabaseUnreachableException>(() =>
            DatabaseStartup.WaitUntilReachableAsync(dataSource, TimeSpan.FromSeconds(2), NullLogger.Instance, default));

        Assert.Contains($"Port={port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Pa55", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Courier", error.Message, StringComparison.Ordinal);
    }
}

public sealed class ConnectionStringMaskingTests
{
    [Fact]
    public void Masked_connection_string_keeps_the_server_and_hides_the_password()
    {
        var masked = DatabaseStartup.Masked("Host=db.internal;Port=5432;Username=courier;Password=hunter2-hunter2;Database=courier");

        Assert.Contains("Host=db.internal", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", masked, StringComparison.Ordinal);
        Assert.Contains("Password=*****", masked, StringComparison.Ordinal);
    }
}
