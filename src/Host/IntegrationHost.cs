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
using Integration.Host.Outbox;
using Integration.Host.Retention;
using Integration.Host.Security;
using Integration.Host.Telemetry;
using Integration.Host.Webhooks;
using Integration.Mappings;
using Integration.Workflows;
using Integration.Workflows.Scheduling;
using Integration.Workflows.Triggers;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Scalar.AspNetCore;

namespace Integration.Host;

/// <summary>The composition root: wires the parts, serves HTTP. No business rules live here.</summary>
internal static class IntegrationHost
{
    private const string OperatorRequestTimeout = "operator";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddSecretFiles();
        builder.AddHostLogging();

        // Resolved lazily so test hosts and CLI overrides can supply the database late.
        builder.Services.AddSingleton(services =>
            new NpgsqlDataSourceBuilder(DatabaseConnection.Resolve(services.GetRequiredService<IConfiguration>())).Build());
        builder.Services.AddHostedService<MigrateOnStart>();

        builder.Services.AddProblemDetails();
        builder.Services.AddOperatorAuthentication(builder.Configuration);
        builder.Services.AddOptions<RequestLimitsOptions>().Bind(builder.Configuration.GetSection(RequestLimitsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        var limits = builder.Configuration.GetSection(RequestLimitsOptions.Section).Get<RequestLimitsOptions>() ?? new RequestLimitsOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes);
        builder.Services.AddRequestTimeouts(timeouts => timeouts.AddPolicy(OperatorRequestTimeout, new RequestTimeoutPolicy
        {
            Timeout = limits.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        }));
        // A body too large (Kestrel) or not JSON where JSON was expected is the caller's mistake, never a 500.
        builder.Services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector = exception => exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            System.Text.Json.JsonException => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        });
        builder.Services.AddOpenApi();
        var health = builder.Services.AddHealthChecks().AddCheck<PostgresReadinessCheck>("postgres", tags: ["ready"])
            .AddCheck<InboxLagCheck>("inbox", tags: ["detail"])
            .AddCheck<OutboxLagCheck>("outbox", tags: ["detail"]);
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
        builder.Services.AddSingleton<InboxRequeue>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxRequeue>();
        builder.Services.AddSingleton<InboxWriter>();
        builder.Services.AddSingleton<InboxFeed>();
        builder.Services.AddSingleton<UnfinishedDeliveries>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddErp();

        builder.Services.AddMappings();
        builder.Services.AddHostedService<MappingsOnStart>();
        builder.Services.AddHostActivities();

        builder.Services.AddFlowRuntime().AddFlowHosting();
        builder.Services.Configure<Integration.Workflows.Persistence.FlowLeaseOptions>(builder.Configuration.GetSection("Flows:Leases"));
        builder.Services.Configure<Integration.Workflows.Persistence.FlowRetentionOptions>(builder.Configuration.GetSection("Flows:Retention"));
        builder.Services.Configure<Integration.Workflows.Persistence.IncidentAutoRetryOptions>(builder.Configuration.GetSection(Integration.Workflows.Persistence.IncidentAutoRetryOptions.Section));
        builder.Services.Configure<Integration.Workflows.Triggers.HttpEndpointOptions>(builder.Configuration.GetSection(Integration.Workflows.Triggers.HttpEndpointOptions.Section));
        builder.Services.AddOptions<Integration.Workflows.Triggers.InboxDispatchOptions>()
            .Bind(builder.Configuration.GetSection(Integration.Workflows.Triggers.InboxDispatchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Integration.Workflows.Triggers.OutboxDispatchOptions>()
            .Bind(builder.Configuration.GetSection(Integration.Workflows.Triggers.OutboxDispatchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
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

        builder.Services.AddHostedService(services => services.GetRequiredService<Integration.Workflows.Persistence.IncidentAutoRetry>());
        if (builder.Configuration.GetValue("Flows:ResumeBookmarks", true))
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<BookmarkResumer>());
        }

        foreach (var connector in ConnectorRegistration.Shipped)
        {
            builder.AddConnector(connector);
        }

        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Integration.Connectors.Eta.EtaOptions>, SellerStoreAccountsRule>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHostRequestLogging();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRequestTimeouts();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // Every check with its figures, for operators; a degraded inbox or scheduler does not take the host out of service.
        var protectDetails = app.Configuration.GetValue<bool>("Operators:ProtectHealthAndMetrics");
        var healthReport = app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = HealthReportJson.WriteAsync,
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
        });
        if (protectDetails)
        {
            healthReport.RequireAuthorization(OperatorScopes.Read);
        }

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapGet("/", () => Results.Redirect("/scalar/v1")).ExcludeFromDescription();

        app.MapWebhookIntake();
        app.MapHostTelemetry(protectDetails ? OperatorScopes.Read : null);
        app.MapHttpWorkflows();

        // Operators only: read for GET/HEAD, operate for the rest, admin where an endpoint asks for it (see docs/operations.md).
        var operators = app.MapOperatorGroup();
        operators.WithRequestTimeout(OperatorRequestTimeout);
        operators.MapInboxApi();
        operators.MapOutboxApi();
        operators.MapErpApi();
        operators.MapEtaApi();
        operators.MapFlowsApi();
        operators.MapFlowPublishing();
        operators.MapDesigner();
        operators.MapOperatorKeysApi();
        return app;
    }
}
