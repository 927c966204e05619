using Courier.Abstractions.Accounts;

namespace Courier.WebFront.Accounts;

/// <summary>
/// With the embedded database (<c>Courier:Embedded=true</c>, set by <c>./courier run</c>) creates
/// a demo admin and a demo customer at start-up, if they are not there yet, and prints their
/// logins. In every other configuration it does nothing: no account ever gets a default password.
/// </summary>
internal sealed partial class DemoAccounts(IConfiguration configuration, AccountRegistrar registrar, AccountPasswords passwords, CommonPasswords commonPasswords, ILogger<DemoAccounts> log) : IHostedService
{
    public const string EmbeddedSetting = "Courier:Embedded";
    public const string SeededBy = "system:demo-seed";

    public static IReadOnlyList<DemoLogin> Logins { get; } =
    [
        new("admin@courier.test", "courier-demo-admin", "Demo Admin", Roles.Admin),
        new("customer@courier.test", "courier-demo-customer", "Demo Customer", Roles.Customer),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Loaded now so that the first sign-in or registration does not pay for it.
        passwords.Warm();
        commonPasswords.Warm();
        if (!configuration.GetValue<bool>(EmbeddedSetting)) return;
        await SeedAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the demo accounts that are missing; running it again changes nothing.</summary>
    public async Task SeedAsync()
    {
        foreach (var login in Logins)
        {
            var result = await registrar.RegisterAsync(login.Email, login.DisplayName, login.Password, [login.Role], SeededBy);
            if (result.Outcome == RegistrationOutcome.Registered) LogCreated(login.Email);
        }
        var lines = string.Join(Environment.NewLine, Logins.Select(l => $"    {l.Role,-9} {l.Email,-24} password: {l.Password}"));
        LogLogins(Environment.NewLine + lines);
        await Console.Out.WriteLineAsync(
            $"{Environment.NewLine}Demo sign-ins (embedded database only):{Environment.NewLine}{lines}{Environment.NewLine}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created demo account {Email}")]
    private partial void LogCreated(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded demo database: these demo accounts have well-known passwords:{Logins}")]
    private partial void LogLogins(string logins);
}

internal sealed record DemoLogin(string Email, string Password, string DisplayName, string Role);
