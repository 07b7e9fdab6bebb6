using Integration.Connectors.Eta.Issuing;
using Integration.Erp.Budgets;
using Integration.Host.Webhooks;
using Integration.Workflows.Telemetry;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Integration.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the host: its own meters and sources (webhooks, flows, inbox, connector calls and rate-limit
/// waits, ETA receipts by state, budget hits), ASP.NET Core, outgoing HTTP
/// (connectors) and PostgreSQL; exported as Prometheus text and, when configured, over OTLP.
/// </summary>
public static class TelemetryRegistration
{
    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddSingleton<WebhookMetrics>();
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(options.ServiceName));
        telemetry.WithMetrics(metrics =>
        {
            // "System.Runtime": .NET's own meter (GC, JIT, thread pool, lock contention, CPU time).
            metrics.AddMeter(WebhookMetrics.Name, FlowTelemetry.Name, ConnectorTelemetry.Name, EtaReceiptTelemetry.Name, BudgetTelemetry.Name, "Npgsql", "System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation();
            if (!string.IsNullOrEmpty(options.PrometheusPath))
            {
                // No cached answers: a scrape shows what happened up to it (the exporter caches 300 ms by default).
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (options.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
            }
        });
        if (options.OtlpEndpoint is { } traceEndpoint)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(FlowTelemetry.Name)
                // A key sent where its id goes (a revoke) must not leave in a trace's path.
                .AddAspNetCoreInstrumentation(aspNet => aspNet.EnrichWithHttpRequest = (activity, request) =>
                {
                    if (request.Path.Value is { } path && Security.OperatorKeyText.Masked(path) is var masked && !ReferenceEquals(masked, path))
                    {
                        activity.SetTag("url.path", masked);
                    }
                })
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(otlp => otlp.Endpoint = traceEndpoint));
        }

        return services;
    }

    /// <summary>The Prometheus scraping endpoint, when <see cref="TelemetryOptions.PrometheusPath"/> is set (open unless a policy is named).</summary>
    public static WebApplication MapHostTelemetry(this WebApplication app, string? requiredPolicy)
    {
        var path = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.PrometheusPath ?? new TelemetryOptions().PrometheusPath;
        if (!string.IsNullOrEmpty(path))
        {
            var endpoint = app.MapPrometheusScrapingEndpoint(path);
            if (requiredPolicy is not null)
            {
                endpoint.RequireAuthorization(requiredPolicy);
            }
        }

        return app;
    }
}
