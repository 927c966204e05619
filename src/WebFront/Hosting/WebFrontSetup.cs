using Courier.Silo.Hosting;
using Courier.Silo.Security;
using Courier.Silo.Logging;
using Courier.WebFront.Accounts;
using Courier.WebFront.Apis;
using Courier.WebFront.Commerce;
using Courier.WebFront.Live;
using Courier.WebFront.Pages;
using Serilog;

namespace Courier.WebFront.Hosting;

internal static class WebFrontSetup
{
    /// <summary>
    /// Serilog is the logging provider (see <see cref="CourierLogging"/>). Sinks registered as
    /// services join it, and so do logger providers added to the host (tests add theirs).
    /// </summary>
    public static WebApplicationBuilder AddCourierLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            (services, logger) => logger.ConfigureForCourier(services.GetRequiredService<IConfiguration>()).ReadFrom.Services(services),
            // Several hosts share one process in the tests; none takes over the static Log.Logger.
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    public static IServiceCollection AddCourierWeb(this IServiceCollection services)
    {
        services.AddCourierTrustedProxies();
        services.AddProblemDetails();
        services.AddExceptionHandler<RuleViolationProblems>();
        // An unreadable body (malformed JSON, "yes" for a boolean) becomes a problem whose detail says
        // what to send, in every environment (minimal APIs only throw it in Development by default).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddScoped<ISignInHook, CartMergeOnSignIn>();
        services.AddOpenApi(options => options.AddSchemaTransformer(NulCharacters.DescribeStringsAsStrings));
        services.AddCourierDataProtection();
        services.ConfigureHttpJsonOptions(json =>
        {
            // Enums by name only: a number such as -1 would slip past as an undefined value.
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.AllowDuplicateProperties = false; // {"a":1,"a":2} is ambiguous: refuse it (400) rather than take one
            json.SerializerOptions.Converters.Add(new NulCharacters.RefusingJsonConverter());
            json.SerializerOptions.TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.WithAddedModifier(json.SerializerOptions.TypeInfoResolver ?? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(), LeaveOutServerOnly);
        });
        services.AddSignalR();
        services.AddCourierPages();
        services.AddHostedService<LiveHubFanout>();
        services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Properties marked <see cref="Courier.Abstractions.Runtime.ServerOnlyAttribute"/> are not part of
    /// the API's JSON: neither written to clients nor described in the OpenAPI document. Such records
    /// are answers only; the API never reads them.
    /// </summary>
    private static void LeaveOutServerOnly(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].AttributeProvider?.IsDefined(typeof(Courier.Abstractions.Runtime.ServerOnlyAttribute), inherit: true) == true)
                type.Properties.RemoveAt(i);
        }
    }

    public static WebApplication UseCourierWeb(this WebApplication app)
    {
        app.UseCourierTrustedProxies(); // before anything reads the client's address or scheme
        app.UseCourierSecurityHeaders(); // before anything can answer: error pages and static files carry them too
        app.UseCourierRequestLogging(); // before the exception handler, so it sees the status that answers with
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNulCharacterRefusal();
        app.UseApiRequestShape();
        app.UseCourierAccounts(); // before static files: every GET, pages included, gets its XSRF-TOKEN
        app.UseAntiforgery();
        app.UseCourierPages();
        app.UseAnonymousCartCookie();
        app.UseMiddleware<FirstVisitPageCache>(); // after every cookie is issued: cached pages never carry one
        app.MapOpenApi();
        app.MapApiReference();
        app.MapHub<LiveHub>("/hubs/live");
        return app;
    }

    /// <summary>Runs until Ctrl-C; a database that stays unreachable at start-up ends the process with a clear message.</summary>
    public static async Task<int> RunCourierAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (DatabaseUnreachableException ex)
        {
            await Console.Error.WriteLineAsync($"Courier could not start: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
