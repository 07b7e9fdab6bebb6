using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Integration.Host.Health;

/// <summary>Degraded while this host's Quartz scheduler is not running (it starts once the flows are published and the database answers).</summary>
internal sealed class SchedulerCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"Scheduler {scheduler.SchedulerInstanceId} running")
            : HealthCheckResult.Degraded($"The scheduler is {scheduler.Status}: no schedule fires on this host");
    }
}
