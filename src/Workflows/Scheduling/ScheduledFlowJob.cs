using Integration.Workflows.Execution;
using Integration.Workflows.Persistence;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// A schedule trigger fired (on one host of the cluster: Quartz's clustered store hands each firing to one
/// scheduler): starts the flow in service from that trigger activity and stores the run. The schedules of one flow
/// take turns (a lock across hosts, unless the trigger allows overlap): a flow's schedules work on the same state,
/// e.g. a nightly full stock upload and the every-minute push of changes, and two at once could push an older value
/// after a newer one.
/// </summary>
internal sealed class ScheduledFlowJob(FlowCatalog catalog, FlowRunner runner, FlowLeases leases, Npgsql.NpgsqlDataSource dataSource, ILogger<ScheduledFlowJob> logger) : IJob
{
    public const string DefinitionIdKey = "definitionId";
    public const string ActivityIdKey = "activityId";

    /// <summary>The lock a flow's schedules take turns on (and the retries of their runs' incidents).</summary>
    public static string TurnLock(string definitionId) => "flows.schedules.turn:" + definitionId;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var definitionId = context.MergedJobDataMap.GetString(DefinitionIdKey);
        var activityId = context.MergedJobDataMap.GetString(ActivityIdKey);
        if (catalog.Active.FirstOrDefault(f => f.Definition.DefinitionId == definitionId) is not ({ } definition, var version) || activityId is null)
        {
            logger.LogWarning("Schedule {Job} fired for flow {DefinitionId}, which is not in service", context.JobDetail.Key, definitionId);
            return;
        }

        await using var turn = context.JobDetail.ConcurrentExecutionDisallowed
            ? await SessionAdvisoryLock.TakeAsync(dataSource, TurnLock(definition.DefinitionId), cancellationToken)
            : null;
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var input = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["scheduledActivityId"] = activityId,
            ["scheduledFireTime"] = scheduled.UtcDateTime,
            ["payload"] = scheduled.UtcDateTime,
        };
        await using var lease = leases.Begin(definition.DefinitionId, version, $"schedule:{activityId}@{scheduled.UtcDateTime:O}");
        var state = await runner.RunAsync(definition, input, activityId, lease.CheckpointAsync, cancellationToken);
        await lease.SaveAsync(state, cancellationToken);
        logger.LogInformation("Schedule {ActivityId} of {DefinitionId} v{Version} fired for {Scheduled:O}: {Status}",
            activityId, definition.DefinitionId, version, scheduled, state.Status);
    }
}
