using System.Threading.RateLimiting;
using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integration.Workflows;

/// <summary>Registers the flow runtime: the activity registry (built-ins plus every connector's activities), loader and runner.</summary>
public static class FlowRuntimeRegistration
{
    public static IServiceCollection AddFlowRuntime(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var registry = ActivityRegistry.WithBuiltIns();
            foreach (var activity in provider.GetServices<FlowActivity>())
            {
                registry.Add(activity);
            }

            return registry;
        });
        services.AddSingleton(provider => new FlowLoader(provider.GetRequiredService<ActivityRegistry>()));
        services.AddSingleton(provider => new FlowServices(provider.GetRequiredService<ActivityRegistry>(), provider.GetRequiredService<TimeProvider>(), provider)
        {
            DefaultLogPersistence = DefaultLogPersistence(provider.GetService<Microsoft.Extensions.Configuration.IConfiguration>()?["Flows:LogPersistence"]),
        });
        services.AddSingleton(provider => new FlowRunner(provider.GetRequiredService<FlowServices>()));
        // SendHttpRequest's client, gated by Flows:Http:AllowedHosts wherever flows run (the host, `flows run`).
        services.AddTransient<Http.OutboundHostAllowList>();
        services.AddHttpClient("flows", (provider, client) => client.Timeout = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Http.FlowHttpOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<Http.OutboundHostAllowList>();
        return services;
    }

    private static LogPersistenceMode DefaultLogPersistence(string? setting) =>
        string.IsNullOrWhiteSpace(setting) ? LogPersistenceMode.Include
        : Enum.TryParse<LogPersistenceMode>(setting, ignoreCase: true, out var mode) && Enum.IsDefined(mode) ? mode
        : throw new InvalidOperationException($"Flows:LogPersistence '{setting}' is not known (use Include, Exclude or Inherit).");

    /// <summary>Durable flows for a host: the catalog of <c>flows/</c> (published to PostgreSQL), run instances and the inbox dispatcher.</summary>
    public static IServiceCollection AddFlowHosting(this IServiceCollection services)
    {
        services.AddSingleton<Persistence.FlowCatalog>();
        services.AddSingleton<Activities.IInputOptionSource, Persistence.FlowInputOptions>();
        services.AddSingleton<Persistence.FlowInstanceStore>();
        services.AddSingleton<Persistence.FlowRuns>();
        services.AddSingleton<Persistence.FlowLeases>();
        services.AddSingleton<Execution.IFlowDefinitions>(provider => provider.GetRequiredService<Persistence.FlowCatalog>());
        services.AddSingleton<Execution.IFlowDispatcher, Persistence.FlowDispatcher>();
        services.AddSingleton<Execution.IFlowEvents, Persistence.FlowEvents>();
        services.AddOptions<Persistence.FlowLeaseOptions>();
        services.AddOptions<Persistence.FlowRetentionOptions>();
        services.AddSingleton<Persistence.FlowRetention>();
        services.AddOptions<Persistence.IncidentAutoRetryOptions>();
        services.AddSingleton<Persistence.IncidentAutoRetry>();
        services.AddSingleton<Persistence.FlowDrafts>();
        services.AddOptions<Triggers.InboxDispatchOptions>();
        services.AddSingleton<Triggers.InboxArrivals>();
        services.AddSingleton<Triggers.InboxDispatcher>();
        services.AddSingleton<Triggers.BookmarkResumer>();
        services.AddOptions<Triggers.OutboxDispatchOptions>();
        services.AddSingleton<Triggers.OutboxDispatcher>();
        services.AddOptions<Triggers.HttpEndpointOptions>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
            // Per client address: a flow's public endpoint stores a run per call.
            limiter.AddPolicy(Triggers.HttpEndpointOptions.RateLimitPolicy, http =>
            {
                var permits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Triggers.HttpEndpointOptions>>().Value.PermitsPerMinute;
                return permits <= 0
                    ? RateLimitPartition.GetNoLimiter("none")
                    : RateLimitPartition.GetFixedWindowLimiter(Triggers.HttpEndpointOptions.ClientKey(http.Connection.RemoteIpAddress),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
    }

    /// <summary>The flow runtime's SQL migrations live in this assembly (schema <c>flows</c>).</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(FlowRuntimeRegistration).Assembly;
}
