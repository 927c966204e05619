using Microsoft.AspNetCore.Authentication.Cookies;

namespace Courier.WebFront.Accounts;

internal static class AccountsSetup
{
    /// <summary>What both the web host and the admin CLI need: password hashing, the policy, registration.</summary>
    public static IServiceCollection AddAccountCore(this IServiceCollection services)
    {
        services.AddSingleton<AccountPasswords>();
        services.AddSingleton<CommonPasswords>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<RegistrationRules>();
        services.AddSingleton<AccountRegistrar>();
        return services;
    }

    /// <summary>Cookie sessions, roles, antiforgery, the sign-in throttle and the demo accounts.</summary>
    public static IServiceCollection AddCourierAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAccountCore();
        services.AddOptions<SignInThrottleOptions>()
            .Bind(configuration.GetSection(SignInThrottleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SessionLifetimeOptions>()
            .Bind(configuration.GetSection(SessionLifetimeOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.CustomerIdleTimeout <= o.CustomerLifetime && o.StaffIdleTimeout <= o.StaffLifetime,
                "An idle timeout longer than the lifetime never applies: make each IdleTimeout at most its Lifetime.")
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordConfirmation>();
        services.AddSingleton<PersonalDataExport>();
        services.AddScoped<AccountSessions>();
        services.AddSingleton<XsrfProtection>();
        services.AddHostedService<DemoAccounts>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = AccountSessions.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The cookie outlives any session; the server decides when a session ends (SessionLifetimeOptions).
                options.ExpireTimeSpan = TimeSpan.FromDays(365);
                options.SlidingExpiration = false;
                // Pages redirect to the sign-in page; the API answers with problem details.
                options.LoginPath = "/signin";
                options.ReturnUrlParameter = "returnUrl";
                options.AccessDeniedPath = "/signin";
                options.Events.OnValidatePrincipal = AccountSessions.ValidateAsync;
                options.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? AccountProblems.NotSignedIn().ExecuteAsync(context.HttpContext)
                    : Redirect(context);
                options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? AccountProblems.Forbidden().ExecuteAsync(context.HttpContext)
                    : Redirect(context);
            });
        services.AddAuthorizationBuilder().AddCourierPolicies().AddOrderAccess();

        services.AddAntiforgery(options =>
        {
            options.HeaderName = XsrfProtection.HeaderName;
            options.Cookie.Name = XsrfProtection.CookieTokenCookie;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>Authentication, then the antiforgery check (it needs the user), then authorization.</summary>
    public static WebApplication UseCourierAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<XsrfProtection>();
        app.UseAuthorization();
        return app;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
