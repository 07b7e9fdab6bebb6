using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// What an operator does with a failed run: retry the activity that raised an incident (the run goes on from there,
/// with the definition version it started with) or cancel it.
/// </summary>
public sealed class FlowRuns(NpgsqlDataSource dataSource, FlowLoader loader, FlowRunner runner)
{
    /// <summary>
    /// Retries each incident in turn: the run's new status, or <c>Skipped</c> with the reason when it is no longer open
    /// (retried or cancelled meanwhile, by a person or another host) or its flow no longer loads.
    /// </summary>
    public async Task<IReadOnlyList<IncidentRetryOutcome>> RetryEachAsync(IEnumerable<long> incidentIds, CancellationToken cancellationToken)
    {
        var outcomes = new List<IncidentRetryOutcome>();
        foreach (var id in incidentIds)
        {
            try
            {
                outcomes.Add(new IncidentRetryOutcome(id, await RetryAsync(id, cancellationToken)));
            }
            catch (IncidentNotRetriableException ex)
            {
                // Left to a person: the host's own retries no longer pick it (nor let it hold back the others).
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await connection.ExecuteAsync("UPDATE flows.incident SET transient = false WHERE id = @id AND status = 'Open'", new { id });
                outcomes.Add(new IncidentRetryOutcome(id, "Skipped", ex.Message));
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
            {
                outcomes.Add(new IncidentRetryOutcome(id, "Skipped", ex.Message));
            }
        }

        return outcomes;
    }

    /// <summary>Retries the incident's activity; returns the run's new status.</summary>
    public async Task<string> RetryAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var turn = await ScheduleTurnAsync(incidentId, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (instanceId, activityId, loops) = await LockOpenIncidentAsync(connection, transaction, incidentId);
        var run = await connection.QuerySingleAsync<StoredRun>($"""
            SELECT {StoredRun.Columns}
            FROM flows.instance i JOIN flows.definition d ON d.definition_id = i.definition_id AND d.version = i.version
            WHERE i.id = @instanceId FOR UPDATE OF i
            """, new { instanceId }, transaction);
        var (status, holder) = await connection.QuerySingleAsync<(string, string?)>("SELECT status, lease_owner FROM flows.instance WHERE id = @instanceId", new { instanceId }, transaction);
        if (status == "Cancelled")
        {
            // Cancelled with this incident still open (before cancelling closed them all): nothing of the run goes on.
            await connection.ExecuteAsync("UPDATE flows.incident SET status = 'Cancelled' WHERE id = @incidentId", new { incidentId }, transaction);
            await transaction.CommitAsync(cancellationToken);
            throw new InvalidOperationException($"Run {instanceId} is cancelled: its incident {incidentId} is cancelled with it, not retried.");
        }

        // A run a host holds in flight (one that goes on with incidents), or held by a host that died and not yet taken over,
        // is retried once it stops, not under that lease.
        if (holder is not null)
        {
            throw new InvalidOperationException($"Run {instanceId} is running on {holder}: retry its incident once the run has stopped.");
        }

        var definition = loader.Load(run.DefinitionJson, $"{run.DefinitionId} v{run.Version}").Definition
            ?? throw new InvalidOperationException($"Stored definition {run.DefinitionId} v{run.Version} no longer loads");
        var state = await FlowInstanceStore.RestoreAsync(connection, transaction, run, cancellationToken);
        if (await InboxPayload.ReadAsync(dataSource, run.Trigger, cancellationToken) is { } payload)
        {
            state.Input["payload"] = payload;
        }

        state = await runner.RetryAsync(definition, state, activityId,
            loops is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(loops), cancellationToken);
        if (!await FlowInstanceStore.SaveAsync(connection, transaction, run.DefinitionId, run.Version, run.Trigger, state))
        {
            throw new InvalidOperationException($"Run {instanceId} was taken by another host while its incident was retried: nothing of the retry is kept.");
        }

        await connection.ExecuteAsync("UPDATE flows.incident SET status = 'Retried' WHERE id = @incidentId", new { incidentId }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return state.Status.ToString();
    }

    // A scheduled run's retry takes its flow's turn as the schedules do: a stock push retried from its read must not write
    // what it read while the next minute's run writes newer values (the older would land last). So does the retry of a
    // sub-run a scheduled run executed (a store's push, trigger execute:PARENT/ACTIVITY): the turn is its root flow's.
    private async Task<Scheduling.SessionAdvisoryLock?> ScheduleTurnAsync(long incidentId, CancellationToken cancellationToken)
    {
        string? definitionId;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            definitionId = await connection.ExecuteScalarAsync<string?>("""
                WITH RECURSIVE up AS (
                    SELECT r.definition_id, r.trigger, 0 AS depth FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id WHERE i.id = @incidentId
                    UNION ALL
                    SELECT p.definition_id, p.trigger, up.depth + 1 FROM up
                    JOIN flows.instance p ON p.id = CASE WHEN up.trigger ~ '^execute:[0-9a-fA-F-]{32,36}/' THEN split_part(substr(up.trigger, 9), '/', 1)::uuid END
                    WHERE up.depth < 10)
                SELECT definition_id FROM up WHERE trigger LIKE 'schedule:%' ORDER BY depth LIMIT 1
                """, new { incidentId });
        }

        return definitionId is null ? null : await Scheduling.SessionAdvisoryLock.TakeAsync(dataSource, Scheduling.ScheduledFlowJob.TurnLock(definitionId), cancellationToken);
    }

    /// <summary>
    /// Gives up on the incident. A run that went on with incidents and finished keeps its other incidents (a store's
    /// failure each, still to retry) and stays finished; a run stopped by it (faulted, suspended) is cancelled with all
    /// its open incidents, since one left open would be retried against a cancelled run.
    /// </summary>
    public async Task CancelAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (instanceId, _, _) = await LockOpenIncidentAsync(connection, transaction, incidentId);
        var status = await connection.ExecuteScalarAsync<string>("SELECT status FROM flows.instance WHERE id = @instanceId FOR UPDATE", new { instanceId }, transaction);
        if (status == "Finished")
        {
            await connection.ExecuteAsync("UPDATE flows.incident SET status = 'Cancelled' WHERE id = @incidentId", new { incidentId }, transaction);
        }
        else
        {
            await connection.ExecuteAsync("UPDATE flows.incident SET status = 'Cancelled' WHERE instance_id = @instanceId AND status = 'Open'", new { instanceId }, transaction);
            await connection.ExecuteAsync("UPDATE flows.instance SET status = 'Cancelled', updated_at = now(), finished_at = now() WHERE id = @instanceId", new { instanceId }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Cancels a run that has not ended (suspended, in flight or faulted), with its open incidents.</summary>
    public async Task CancelRunAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.ExecuteScalarAsync<string?>("SELECT status FROM flows.instance WHERE id = @instanceId FOR UPDATE", new { instanceId }, transaction)
            ?? throw new KeyNotFoundException($"No run {instanceId}.");
        if (status is "Finished" or "Cancelled")
        {
            throw new InvalidOperationException($"Run {instanceId} is {status}.");
        }

        await connection.ExecuteAsync("UPDATE flows.incident SET status = 'Cancelled' WHERE instance_id = @instanceId AND status = 'Open'", new { instanceId }, transaction);
        // The lease's end stays: a host still running the run stops at its next save, and the run may not be deleted before
        // then (the host would store it anew).
        await connection.ExecuteAsync("""
            UPDATE flows.instance SET status = 'Cancelled', lease_owner = NULL, next_resume_at = NULL, updated_at = now(), finished_at = now()
            WHERE id = @instanceId
            """, new { instanceId }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes a run that has ended (finished or cancelled) with its incidents and stored values. A run that has not
    /// ended, or one whose incidents are still open (a faulted run, or a finished one that went on with incidents), is
    /// refused: retry or cancel it first, so no failure is lost unseen. So is a run cancelled while a host ran it, until
    /// that host's lease has run out: the host would store it anew.
    /// </summary>
    public async Task DeleteRunAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var run = await connection.QuerySingleOrDefaultAsync<(string Status, bool Leased, long OpenIncidents)?>("""
            SELECT status, coalesce(lease_expires_at > now(), false),
                   (SELECT count(*) FROM flows.incident WHERE instance_id = i.id AND status = 'Open')
            FROM flows.instance i WHERE id = @instanceId FOR UPDATE
            """, new { instanceId }, transaction)
            ?? throw new KeyNotFoundException($"No run {instanceId}.");
        if (run.Status is not ("Finished" or "Cancelled"))
        {
            throw new InvalidOperationException($"Run {instanceId} is {run.Status}: cancel it before deleting it.");
        }

        if (run.OpenIncidents > 0)
        {
            throw new InvalidOperationException($"Run {instanceId} has {run.OpenIncidents} open incident(s): retry or cancel them before deleting it.");
        }

        if (run.Leased)
        {
            throw new InvalidOperationException($"Run {instanceId} was cancelled while a host ran it: it can be deleted once that host has let it go (within its lease).");
        }

        await connection.ExecuteAsync("DELETE FROM flows.incident WHERE instance_id = @instanceId", new { instanceId }, transaction);
        await connection.ExecuteAsync("DELETE FROM flows.instance WHERE id = @instanceId", new { instanceId }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Retries a faulted run from its latest open incident.</summary>
    public async Task<string> RetryRunAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        long? incidentId;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            incidentId = await connection.ExecuteScalarAsync<long?>(
                "SELECT id FROM flows.incident WHERE instance_id = @instanceId AND status = 'Open' ORDER BY id DESC LIMIT 1", new { instanceId });
        }

        return incidentId is { } id ? await RetryAsync(id, cancellationToken) : throw new InvalidOperationException($"Run {instanceId} has no open incident.");
    }

    private static async Task<(Guid InstanceId, string ActivityId, string? Loops)> LockOpenIncidentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long incidentId)
    {
        var incident = await connection.QuerySingleOrDefaultAsync<(Guid InstanceId, string ActivityId, string Status, string? Loops)>(
            "SELECT instance_id, activity_id, status, loops::text FROM flows.incident WHERE id = @incidentId FOR UPDATE", new { incidentId }, transaction);
        if (incident.ActivityId is null)
        {
            throw new KeyNotFoundException($"No incident {incidentId}.");
        }

        return incident.Status == "Open"
            ? (incident.InstanceId, incident.ActivityId, incident.Loops)
            : throw new InvalidOperationException($"Incident {incidentId} is {incident.Status}, not open.");
    }
}
