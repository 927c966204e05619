using Courier.TestSupport;
using Courier.WebFront.Accounts;

namespace Courier.WebFront.Tests.Accounts;

public sealed class AdminCommandsTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new AdminConsole(new StringReader(stdin), output, error, InputIsRedirected: true,
            ReadSecret: _ => throw new InvalidOperationException("must not prompt when input is redirected"));
        var exit = await AdminCommands.RunAsync([.. args, $"--ConnectionStrings:Courier={database.ConnectionString}"], console);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Admin_create_reads_the_password_from_stdin_creates_the_admin_and_audits_it()
    {
        var (exit, output, error) = await RunAsync("a long admin passphrase\n", "admin", "create", "--email", "Boss@Example.com", "--name", "The Boss");

        Assert.True(exit == 0, error);
        Assert.Contains("Created administrator boss@example.com", output, StringComparison.Ordinal);
        Assert.Equal("{admin}", await database.ScalarAsync<string>("SELECT roles::text FROM accounts WHERE email = 'boss@example.com'"));
        Assert.Equal(1, await database.ScalarAsync<int>(
            "SELECT count(*) FROM audit_log a JOIN accounts c ON a.target = 'account:' || c.id " +
            "WHERE a.actor_id = 'system:cli' AND a.action = 'account.created' AND c.email = 'boss@example.com' AND a.details->>'roles' = 'admin'"));
    }

    [Fact]
    public async Task Admin_create_refuses_an_existing_email_and_changes_nothing()
    {
        await RunAsync("a long admin passphrase\n", "admin", "create", "--email", "boss@example.com");

        var (exit, _, error) = await RunAsync("another long passphrase\n", "admin", "create", "--email", "BOSS@example.com");

        Assert.Equal(1, exit);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync<int>("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task Admin_create_refuses_a_common_password_before_touching_the_database()
    {
        var (exit, _, error) = await RunAsync("password1234\n", "admin", "create", "--email", "boss@example.com");

        Assert.Equal(1, exit);
        Assert.Contains("commonly used", error, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'"));
    }

    [Fact]
    public async Task Admin_without_a_subcommand_prints_usage_and_fails()
    {
        var (exit, _, error) = await RunAsync("", "admin");

        Assert.Equal(1, exit);
        Assert.Contains("admin create --email", error, StringComparison.Ordinal);
    }
}
