using System.Collections.Concurrent;
using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;
using Integration.Workflows.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Workflows.Triggers;

/// <summary>
/// Goes on with runs that are due, on whichever host gets there first: suspended runs whose timed bookmark
/// (<c>Elsa.Delay</c>, a schedule mid-flow) has come, and runs in flight whose host stopped renewing its lease (it
/// died). Runs are claimed with <c>FOR UPDATE SKIP LOCKED</c> and leased to this host in a short transaction, then run
/// with the definition version they started with: a run in flight from its last checkpoint, so an effect already
/// done is not done again. One run is claimed at a time: a claimed run's lease is renewed only while it runs, and runs
/// claimed together but run one after the other would expire in the queue and be taken by another host as well.
/// </summary>
public sealed class BookmarkResumer(
    NpgsqlDataSource dataSource, FlowLoader loader, FlowRunner runner, FlowLeases leases, TimeProvider time, ILogger<BookmarkResumer> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string, int), FlowDefinition> _definitions = new();

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ResumeDueAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Resuming due runs failed; retrying");
            }

            await Task.Delay(PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task<int> ResumeDueAsync(CancellationToken cancellationToken)
    {
        List<StoredRun> claimed;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            claimed = [.. await connection.QueryAsync<StoredRun>($"""
                WITH due AS (
                    SELECT id FROM flows.instance
                    WHERE (status = 'Suspended' AND next_resume_at <= @now) OR (status = 'Running' AND lease_expires_at < now())
                    ORDER BY coalesce(next_resume_at, lease_expires_at) LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                UPDATE flows.instance i SET status = 'Running', lease_owner = @owner, lease_expires_at = now() + @ttl, updated_at = now()
                FROM due, flows.definition d
                WHERE i.id = due.id AND d.definition_id = i.definition_id AND d.version = i.version
                RETURNING {StoredRun.Columns}
                """, new { now = time.GetUtcNow().UtcDateTime, owner = leases.Owner, ttl = leases.Ttl })];
        }

        foreach (var run in claimed)
        {
            try
            {
                await ResumeAsync(run, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not NpgsqlException and not TimeoutException)
            {
                // A run that cannot go on (its stored definition no longer loads, say) must not stop every host in turn.
                if (await FaultAsync(run.Id, ex, cancellationToken))
                {
                    logger.LogError(ex, "Run {InstanceId} of {DefinitionId} could not go on; it is faulted with an incident", run.Id, run.DefinitionId);
                }
                else
                {
                    logger.LogWarning(ex, "Run {InstanceId} of {DefinitionId} failed here after another host took it over or it was cancelled; left as it is", run.Id, run.DefinitionId);
                }
            }
        }

        return claimed.Count;
    }

    // Only while this host still holds the run: one taken over meanwhile (its lease ran out) or cancelled is not ours to fault.
    private async Task<bool> FaultAsync(Guid instanceId, Exception ex, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var faulted = await FlowInstanceStore.FaultHeldAsync(connection, transaction, instanceId, null, leases.Owner, "(resume)", ex.Message, ex.GetType().Name);
        await transaction.CommitAsync(cancellationToken);
        return faulted;
    }

    private async Task ResumeAsync(StoredRun run, CancellationToken cancellationToken)
    {
        await using var lease = leases.Claimed(run.Id, run.DefinitionId, run.Version, run.Trigger);
        var definition = _definitions.GetOrAdd((run.DefinitionId, run.Version), _ =>
            loader.Load(run.DefinitionJson, $"{run.DefinitionId} v{run.Version}").Definition
            ?? throw new InvalidOperationException($"Stored definition {run.DefinitionId} v{run.Version} no longer loads"));
        var state = await FlowInstanceStore.RestoreAsync(dataSource, run, cancellationToken);
        if (await InboxPayload.ReadAsync(dataSource, run.Trigger, cancellationToken) is { } payload)
        {
            // The run kept a reference to its delivery; its payload is read again from the inbox.
            state.Input["payload"] = payload;
        }

        if (state.Resume is null && state.Bookmarks.Count == 0 && state.Journal.Count == 0 && run.Trigger?.StartsWith("dispatch:", StringComparison.Ordinal) == true)
        {
            // Dispatched by another run (DispatchWorkflow) and not started yet.
            state = await runner.RunAsync(definition, state, null, lease.CheckpointAsync, cancellationToken);
        }
        else if (state.Resume is not null)
        {
            logger.LogWarning("Run {InstanceId} of {DefinitionId} was left in flight by its host; going on from its last checkpoint", run.Id, run.DefinitionId);
            state = await runner.ContinueAsync(definition, state, lease.CheckpointAsync, cancellationToken);
        }

        foreach (var bookmark in state.Bookmarks.Where(b => b.ResumeAt <= time.GetUtcNow()).ToList())
        {
            state = await runner.ResumeAsync(definition, state, bookmark, lease.CheckpointAsync, cancellationToken);
        }

        if (!await lease.SaveAsync(state, cancellationToken))
        {
            logger.LogWarning("Run {InstanceId} was taken over by another host before it was stored", run.Id);
            return;
        }

        logger.LogInformation("Resumed run {InstanceId} of {DefinitionId} v{Version}: {Status}", run.Id, run.DefinitionId, run.Version, state.Status);
    }
}
