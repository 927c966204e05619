using Courier.Silo.Operations;
using Courier.WebFront.Apis;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Courier.WebFront.Hosting;

/// <summary>
/// Metrics and traces with OpenTelemetry. Metrics — Courier's own meter, Orleans', ASP.NET Core's,
/// HttpClient's, Npgsql's and the .NET runtime's — are always collected and scraped by Prometheus
/// at <c>GET /metrics</c> (<see cref="MetricsApi"/>). With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// set, metrics and traces are also pushed there over OTLP (the exporter reads the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables); without it no traces are recorded at all.
/// </summary>
internal static class CourierTelemetry
{
    /// <summary>The meter Orleans 10 publishes its runtime metrics on (OrleansInstruments).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddCourierTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        builder.Services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "courier"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CourierMetrics.MeterName, OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperations(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>Scrapes and health probes every few seconds would drown the traces that matter.</summary>
    private static bool IsOperations(PathString path) =>
        path.StartsWithSegments(MetricsApi.Path) || path.StartsWithSegments("/health");
}
