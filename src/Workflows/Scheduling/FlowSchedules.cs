using Integration.Workflows.Persistence;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// Keeps Quartz's jobs in step with the flows in service: one job per schedule trigger of a flow (group
/// <c>flows</c>), replaced only when its schedule changed, removed when its flow or trigger is gone. Firings never
/// overlap unless the trigger says <c>customProperties.allowOverlap: true</c>. An operator may pause a schedule (kept in
/// Quartz's store, so across restarts, hosts and edits of the flow) and fire it by hand meanwhile.
/// </summary>
public sealed class FlowSchedules(ISchedulerFactory schedulers, FlowCatalog catalog, Npgsql.NpgsqlDataSource dataSource, ILogger<FlowSchedules> logger)
{
    private const string Group = "flows";

    // Syncs, pauses and listings take turns, across hosts.
    private const string LockName = "flows.schedules";

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        // Hosts starting together would each see no job and each store one, the second replacing a trigger the first
        // may already have fired: one host at a time brings the jobs in step.
        await using var guard = await SessionAdvisoryLock.TakeAsync(dataSource, LockName, cancellationToken);

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var wanted = new Dictionary<JobKey, (FlowSchedule Schedule, bool AllowOverlap, string DefinitionId, string ActivityId)>();
        foreach (var (definition, _) in catalog.Active)
        {
            foreach (var node in definition.Root.Children.Where(n => FlowSchedule.TriggerTypes.Contains(n.Type) && n.CanStartWorkflow))
            {
                if (FlowSchedule.Of(node) is not { } schedule || schedule.Problem() is { } problem)
                {
                    logger.LogWarning("Flow {DefinitionId}: schedule {ActivityId} is not a literal schedule Quartz can use", definition.DefinitionId, node.Id);
                    continue;
                }

                var allowOverlap = node.Json["customProperties"]?["allowOverlap"]?.GetValue<bool>() == true;
                wanted[new JobKey($"{definition.DefinitionId}/{node.Id}", Group)] = (schedule, allowOverlap, definition.DefinitionId, node.Id);
            }
        }

        foreach (var stale in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken)).Where(k => !wanted.ContainsKey(k)))
        {
            await scheduler.DeleteJob(stale, cancellationToken);
            logger.LogInformation("Schedule {Job} removed", stale);
        }

        foreach (var (key, (schedule, allowOverlap, definitionId, activityId)) in wanted)
        {
            var triggerKey = new TriggerKey(key.Name, key.Group);
            var current = await scheduler.GetTrigger(triggerKey, cancellationToken);
            // The same schedule, overlap and misfire handling: left as it is (its next time and pause kept).
            if (current?.Description == schedule.Fingerprint && current.OverlapPolicy == (allowOverlap ? OverlapPolicy.AllowAll : OverlapPolicy.Skip)
                && current.MisfireInstructionCode == schedule.Trigger(key, allowOverlap).MisfireInstructionCode)
            {
                continue;
            }

            var paused = current is not null && await scheduler.GetTriggerState(triggerKey, cancellationToken) == TriggerState.Paused;

            var job = JobBuilder.Create<ScheduledFlowJob>()
                .WithIdentity(key)
                .UsingJobData(ScheduledFlowJob.DefinitionIdKey, definitionId)
                .UsingJobData(ScheduledFlowJob.ActivityIdKey, activityId)
                .DisallowConcurrentExecution(!allowOverlap)
                .Build();
            await scheduler.ScheduleJob(job, schedule.Trigger(key, allowOverlap), new ScheduleJobOptions { Replace = true }, cancellationToken);
            if (paused)
            {
                // A new schedule for a paused trigger stays paused: the operator paused it for a reason the edit does not know.
                await scheduler.PauseTrigger(triggerKey, cancellationToken);
            }

            logger.LogInformation("Schedule {Job} set: {Schedule}{Paused}", key, schedule.Fingerprint, paused ? " (paused)" : "");
        }
    }

    /// <summary>Every schedule with its next firing (UTC) and whether an operator paused it, for operators.</summary>
    public async Task<IReadOnlyList<(string DefinitionId, string ActivityId, string Schedule, DateTimeOffset? Next, bool Paused)>> ListAsync(CancellationToken cancellationToken)
    {
        // Not in the middle of a sync: a paused schedule being replaced is live for a moment before it is paused again.
        await using var guard = await SessionAdvisoryLock.TakeAsync(dataSource, LockName, cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var list = new List<(string, string, string, DateTimeOffset?, bool)>();
        foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken)).OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            var triggerKey = new TriggerKey(key.Name, key.Group);
            var trigger = await scheduler.GetTrigger(triggerKey, cancellationToken);
            var paused = trigger is not null && await scheduler.GetTriggerState(triggerKey, cancellationToken) == TriggerState.Paused;
            var parts = key.Name.Split('/', 2);
            list.Add((parts[0], parts.ElementAtOrDefault(1) ?? "", trigger?.Description ?? "", paused ? null : trigger?.NextFireTimeUtc, paused));
        }

        return list;
    }

    /// <summary>
    /// Stops a schedule firing (a store under maintenance, a reconciliation to hold back) until <see cref="ResumeAsync"/>;
    /// <see cref="RunNowAsync"/> still fires it by hand. False when there is no such schedule.
    /// </summary>
    public Task<bool> PauseAsync(string definitionId, string activityId, CancellationToken cancellationToken) =>
        SetPausedAsync(definitionId, activityId, true, cancellationToken);

    /// <summary>
    /// Lets a paused schedule fire again. One that missed its times while paused fires once at once (Quartz's misfire
    /// rule: once, not once per time missed), then on its times. False when there is no such schedule.
    /// </summary>
    public Task<bool> ResumeAsync(string definitionId, string activityId, CancellationToken cancellationToken) =>
        SetPausedAsync(definitionId, activityId, false, cancellationToken);

    private async Task<bool> SetPausedAsync(string definitionId, string activityId, bool paused, CancellationToken cancellationToken)
    {
        // A sync replacing this schedule reads whether it is paused first: a pause between the two would be lost.
        await using var guard = await SessionAdvisoryLock.TakeAsync(dataSource, LockName, cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new TriggerKey($"{definitionId}/{activityId}", Group);
        if (await scheduler.GetTrigger(key, cancellationToken) is null)
        {
            return false;
        }

        await (paused ? scheduler.PauseTrigger(key, cancellationToken) : scheduler.ResumeTrigger(key, cancellationToken));
        logger.LogInformation("Schedule {Trigger} {State}", key, paused ? "paused" : "resumed");
        return true;
    }

    /// <summary>
    /// Fires a flow's schedule now (e.g. reconciliation after an outage), through Quartz, so the run goes to one host
    /// of the cluster and never overlaps a firing of the same schedule. False when there is no such schedule.
    /// </summary>
    public async Task<bool> RunNowAsync(string definitionId, string activityId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new JobKey($"{definitionId}/{activityId}", Group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            return false;
        }

        await scheduler.TriggerJob(key, cancellationToken);
        return true;
    }
}
