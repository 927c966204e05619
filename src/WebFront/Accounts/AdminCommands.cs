using System.Text;
using Courier.Abstractions.Accounts;
using Courier.Silo.Cluster;
using Courier.Silo.Hosting;

namespace Courier.WebFront.Accounts;

/// <summary>
/// The command line for operators: <c>admin create --email ADDRESS [--name "Display Name"]</c>.
/// It runs on the same services as the web host (database, migrations, grains) but starts no web
/// server. The password is asked twice without echo, or read as the first line of standard input
/// when that is redirected (scripts, tests). Exit code 0 on success, 1 otherwise.
/// </summary>
internal static class AdminCommands
{
    public const string CliActor = "system:cli";

    private const string Usage =
        "Usage: courier admin create --email ADDRESS [--name \"Display Name\"]\n" +
        "Creates an administrator account. The password is prompted for (or read from standard input when it is redirected).";

    public static bool IsAdminCommand(string[] args) => args.Length > 0 && args[0] == "admin";

    public static async Task<int> RunAsync(string[] args, AdminConsole console)
    {
        if (args.Length < 2 || args[1] != "create")
        {
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        string? email = null;
        var name = "Administrator";
        var hostArgs = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length:
                    email = args[++i];
                    break;
                case "--name" when i + 1 < args.Length:
                    name = args[++i];
                    break;
                default:
                    hostArgs.Add(args[i]); // configuration such as --ConnectionStrings:Courier=…
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(email))
        {
            await console.Error.WriteLineAsync("Give the new administrator's e-mail with --email." + Environment.NewLine + Usage);
            return 1;
        }

        var builder = Host.CreateApplicationBuilder([.. hostArgs]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().AddFilter((category, level) => level >= LogLevel.Warning);
        // The command's grain calls need a silo: it joins the cluster (a running node's, or one of its
        // own) for the moment it runs, on ports of its own so that it never collides with a node.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ClusterSettings.Section}:{nameof(ClusterSettings.SiloPort)}"] = "0",
            [$"{ClusterSettings.Section}:{nameof(ClusterSettings.GatewayPort)}"] = "0",
        });
        builder.Services.AddCourierSilo(builder.Configuration);
        builder.AddCourierCluster();
        builder.Services.AddAccountCore();
        using var host = builder.Build();

        if ((RegistrationRules.EmailProblem(email) ?? RegistrationRules.DisplayNameProblem(name)) is { } inputProblem)
        {
            await console.Error.WriteLineAsync(inputProblem);
            return 1;
        }

        var password = await ReadPasswordAsync(console);
        if (password is null) return 1;
        if (host.Services.GetRequiredService<PasswordPolicy>().Problem(password, email) is { } problem)
        {
            await console.Error.WriteLineAsync(problem);
            return 1;
        }

        try
        {
            await host.StartAsync(); // waits for the database and applies migrations
        }
        catch (DatabaseUnreachableException ex)
        {
            await console.Error.WriteLineAsync($"Courier could not reach its database: {ex.Message}");
            return 1;
        }
        try
        {
            var registrar = host.Services.GetRequiredService<AccountRegistrar>();
            var result = await registrar.RegisterAsync(email, name, password, [Roles.Admin], CliActor);
            if (result is not { Outcome: RegistrationOutcome.Registered, Account: { } account })
            {
                await console.Error.WriteLineAsync(
                    $"An account with the e-mail {AccountEmail.Normalize(email)} already exists. Nothing was changed; choose another e-mail address.");
                return 1;
            }
            await console.Out.WriteLineAsync($"Created administrator {account.Email} (account id {account.Id}). Sign in at /api/auth/login.");
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<string?> ReadPasswordAsync(AdminConsole console)
    {
        if (console.InputIsRedirected)
        {
            var line = await console.In.ReadLineAsync();
            if (string.IsNullOrEmpty(line))
            {
                await console.Error.WriteLineAsync("Standard input is redirected but holds no password; write the password as its first line.");
                return null;
            }
            return line;
        }
        var first = console.ReadSecret("New administrator's password: ");
        var second = console.ReadSecret("Repeat the password: ");
        if (first != second)
        {
            await console.Error.WriteLineAsync("The two passwords differ. Nothing was created; run the command again.");
            return null;
        }
        return first;
    }
}

/// <summary>The console the admin commands talk to; tests give their own.</summary>
internal sealed record AdminConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputIsRedirected, Func<string, string> ReadSecret)
{
    public static AdminConsole System { get; } = new(Console.In, Console.Out, Console.Error, Console.IsInputRedirected, ReadWithoutEcho);

    private static string ReadWithoutEcho(string prompt)
    {
        Console.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        Console.WriteLine();
        return text.ToString();
    }
}
