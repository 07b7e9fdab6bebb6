using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// Quartz with its clustered PostgreSQL job store (tables <c>qrtz_*</c>, created when missing) on the host's
/// database: every host takes part, and each firing runs on exactly one of them.
/// </summary>
public static class FlowScheduleRegistration
{
    /// <summary>Register after the service that publishes the flows: the scheduler starts once they are in service.</summary>
    public static IServiceCollection AddFlowSchedules(this IServiceCollection services, TimeSpan? checkinInterval = null)
    {
        services.AddSingleton<FlowSchedules>();
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(options => options.InstanceName = "integration-host");
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(source => source.DataSourceFactory = provider => provider.GetRequiredService<NpgsqlDataSource>());
                store.UseClustering(cluster => cluster.CheckinInterval = checkinInterval ?? TimeSpan.FromSeconds(7.5));
                store.ProvisionSchema();
                // The misfire handler and cluster manager are Quartz's only real threads, foreground by default: with the
                // database gone at shutdown they retry forever and the process never exits after a SIGTERM.
                store.ConfigureStore(options => options.UseBackgroundThreads = true);
            });
        });
        services.AddHostedService<FlowScheduler>();
        return services;
    }
}
