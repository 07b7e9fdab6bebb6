using Integration.Connectors.Eta.Api;
using Integration.Designer;
using Integration.Erp;
using Integration.Erp.Api;
using Integration.Host.Connectors;
using Integration.Host.Database;
using Integration.Host.Flows;
using Integration.Host.Health;
using Integration.Host.Inbox;
using Integration.Host.Logging;
using Integration.Host.Mappings;
using Integration.Host.Retention;
using Integration.Host.Telemetry;
using Integration.Host.Webhooks;
using Integration.Mappings;
using Integration.Workflows;
using Integration.Workflows.Scheduling;
using Integration.Workflows.Triggers;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Scalar.AspNetCore;

namespace Integration.Host;

/// <summary>The composition root: wires the parts, serves HTTP. No business rules live here.</summary>
internal static class IntegrationHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHostLogging();

        // Resolved lazily so test hosts and CLI overrides can supply the database late.
        builder.Services.AddSingleton(services =>
            new NpgsqlDataSourceBuilder(DatabaseConnection.Resolve(services.GetRequiredService<IConfiguration>())).Build());
        builder.Services.AddHostedService<MigrateOnStart>();

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        var health = builder.Services.AddHealthChecks().AddCheck<PostgresReadinessCheck>("postgres", tags: ["ready"])
            .AddCheck<InboxLagCheck>("inbox", tags: ["detail"]);
        if (builder.Configuration.GetValue("Flows:Schedules", true))
        {
            health.AddCheck<SchedulerCheck>("scheduler", tags: ["detail"]);
        }

        builder.Services.AddOptions<WebhookIntakeOptions>()
            .Bind(builder.Configuration.GetSection(WebhookIntakeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookSources>();
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddSingleton<InboxWriter>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddErp();

        builder.Services.AddMappings();
        builder.Services.AddHostedService<MappingsOnStart>();
        builder.Services.AddHostActivities();

        builder.Services.AddFlowRuntime().AddFlowHosting();
        builder.Services.Configure<Integration.Workflows.Persistence.FlowLeaseOptions>(builder.Configuration.GetSection("Flows:Leases"));
        builder.Services.Configure<Integration.Workflows.Persistence.FlowRetentionOptions>(builder.Configuration.GetSection("Flows:Retention"));
        builder.Services.AddHostedService(services => services.GetRequiredService<Integration.Workflows.Persistence.FlowRetention>());
        builder.Services.AddMessageRetention(builder.Configuration);
        builder.Services.AddHostTelemetry(builder.Configuration);
        builder.Services.Configure<Integration.Workflows.Http.FlowHttpOptions>(builder.Configuration.GetSection(Integration.Workflows.Http.FlowHttpOptions.Section));
        builder.Services.AddSingleton<FlowsDirectory>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FlowsDirectory>());
        builder.Services.AddSingleton<Integration.Designer.IFlowFolder>(services => services.GetRequiredService<FlowsDirectory>());
        builder.Services.AddDesigner(builder.Configuration);
        if (builder.Configuration.GetValue("Flows:Schedules", true))
        {
            builder.Services.AddFlowSchedules();
        }

        if (builder.Configuration.GetValue("Flows:DispatchInbox", true))
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<Integration.Workflows.Triggers.InboxDispatcher>());
        }

        if (builder.Configuration.GetValue("Flows:DispatchOutbox", true))
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        }

        if (builder.Configuration.GetValue("Flows:ResumeBookmarks", true))
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<BookmarkResumer>());
        }

        foreach (var connector in ConnectorRegistration.Shipped)
        {
            builder.AddConnector(connector);
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHostRequestLogging();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // Every check with its figures, for operators; a degraded inbox or scheduler does not take the host out of service.
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = HealthReportJson.WriteAsync,
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
        });
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapGet("/", () => Results.Redirect("/scalar/v1")).ExcludeFromDescription();

        app.MapWebhookIntake();
        app.MapHostTelemetry();
        app.MapInboxApi();
        app.MapErpApi();
        app.MapEtaApi();
        app.MapFlowsApi();
        app.MapFlowPublishing();
        app.MapHttpWorkflows();
        app.MapDesigner();
        return app;
    }
}
