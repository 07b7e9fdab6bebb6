using System.Text.Json.Nodes;
using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OutboxRow = (long Id, string Topic, string Company, string EntityKey, string Payload, string? TraceParent, int Attempts);

namespace Integration.Workflows.Triggers;

/// <summary>
/// Feeds ERP changes to flows: claims <c>integration.outbox</c> rows with status <c>pending</c> (<c>FOR UPDATE SKIP
/// LOCKED</c>), wakes the runs waiting for the event (the first time it is dispatched), starts every flow in service
/// whose <c>Elsa.Event</c> trigger (<c>canStartWorkflow</c>) names the row's topic (e.g. <c>erp.stock.changed</c>) and
/// whose <c>filter</c> (if any) the event passes, with the row's payload, stores the runs and marks the row <c>done</c>,
/// in one transaction. A JavaScript filter also reads the connectors' settings
/// (<see cref="ConnectorSettingsJson"/>). Several loops (<see cref="OutboxDispatchOptions.Loops"/>) share the work by
/// partition of the changed record (its <c>ordering_key</c>, else its <c>entity_key</c>), each partition held by one loop
/// of the cluster at a time (a transaction-scoped advisory lock), so one record's changes are fed in order.
/// </summary>
public sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource, FlowCatalog catalog, FlowRunner runner, FlowLeases leases, ILogger<OutboxDispatcher> logger, TimeProvider time,
    IConfiguration? configuration = null, IOptions<OutboxDispatchOptions>? options = null) : BackgroundService
{
    private static readonly int[] AllPartitions = [.. Enumerable.Range(0, OutboxDispatchOptions.Partitions)];

    private readonly OutboxDispatchOptions _options = options?.Value ?? new OutboxDispatchOptions();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Loops).Select(loop => Task.Run(() => LoopAsync(PartitionsOf(loop, _options.Loops), stoppingToken), stoppingToken)));

    /// <summary>The partitions a loop works: every <paramref name="loops"/>-th, from its own.</summary>
    internal static int[] PartitionsOf(int loop, int loops) => [.. AllPartitions.Where(p => p % loops == loop)];

    private async Task LoopAsync(int[] partitions, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchOnceAsync(partitions, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Outbox dispatch failed; retrying");
            }

            if (handled == 0)
            {
                await Task.Delay(_options.Poll, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Claims and dispatches one batch of any partition; returns how many changes it handled.</summary>
    public Task<int> DispatchOnceAsync(CancellationToken cancellationToken) => DispatchOnceAsync(AllPartitions, cancellationToken);

    private async Task<int> DispatchOnceAsync(int[] partitions, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The partitions no other loop holds now are this batch's until it commits; within them, changes in id order.
        // (SKIP LOCKED still guards against a row another loop claimed just before it let go of the partition.)
        var rows = (await connection.QueryAsync<OutboxRow>("""
            WITH held AS MATERIALIZED (
                SELECT p FROM unnest(@partitions) p WHERE pg_try_advisory_xact_lock(hashtext('integration.outbox'), p)
            )
            SELECT id, topic, company, entity_key, payload::text, trace_parent, attempts FROM integration.outbox
            WHERE status = 'pending' AND mod(hashtext(coalesce(ordering_key, entity_key)) & 2147483647, @count) IN (SELECT p FROM held)
            ORDER BY id LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """, new { partitions, count = OutboxDispatchOptions.Partitions, _options.BatchSize }, transaction)).ToList();
        var runs = await EventBatchRuns.ReadAsync(connection, transaction, [.. rows.Select(r => (r.Topic, r.EntityKey, Trigger(r), r.Attempts == 0))]);
        var outcomes = DispatchOutcomes.ForOutbox();
        foreach (var row in rows)
        {
            string status = "done";
            string? error = null;
            using var trace = Telemetry.FlowTelemetry.StartDispatch("outbox", row.Id, row.Topic, row.TraceParent);
            try
            {
                await WakeWaitingRunsAsync(connection, transaction, row, runs);
                // After the wake-ups: a refused run record undoes only the runs the event started (the runs it woke were
                // woken once, and a handed-back event does not wake them again).
                await transaction.SaveAsync(RefusedRunRecord.Savepoint, cancellationToken);
                await DispatchRowAsync(connection, transaction, row, runs, cancellationToken);
            }
            catch (PostgresException ex) when (RefusedRunRecord.Is(ex))
            {
                // Only the runs this event started are rolled back, and it is kept, failed, with the reason; other
                // database errors abort the batch.
                await transaction.RollbackAsync(RefusedRunRecord.Savepoint, cancellationToken);
                logger.LogError(ex, "Outbox {OutboxId} ({Topic} {EntityKey}): its run could not be stored", row.Id, row.Topic, row.EntityKey);
                status = "failed";
                error = await RefusedRunRecord.FaultAsync(connection, transaction, Trigger(row), leases.Owner, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not NpgsqlException and not TimeoutException)
            {
                // An event no flow can take is kept, marked failed with the reason, and does not stop the dispatcher.
                logger.LogError(ex, "Outbox {OutboxId} ({Topic} {EntityKey}) could not be dispatched", row.Id, row.Topic, row.EntityKey);
                status = "failed";
                error = ex.Message;
            }

            outcomes.Add(row.Id, status, error);
        }

        await outcomes.SaveAsync(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private static string Trigger(OutboxRow row) => $"outbox:{row.Id}";

    // Runs waiting for this ERP event (correlated with its entity key) go on with it. First, so that a flow that fails on
    // the event does not keep it from them; and once: an event an operator handed back (attempts > 0) woke them the first
    // time, and waking a later wait with an old event would be wrong.
    private async Task WakeWaitingRunsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRow row, EventBatchRuns runs)
    {
        if (row.Attempts == 0)
        {
            await runs.PublishAsync(connection, transaction, row.Topic, row.EntityKey, JsonNode.Parse(row.Payload), time.GetUtcNow());
        }
    }

    private async Task DispatchRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRow row, EventBatchRuns runs, CancellationToken cancellationToken)
    {
        var filterFailures = new List<string>();
        foreach (var (definition, version) in catalog.Active)
        {
            // Only an Elsa.Event marked as able to start the flow is a trigger; one reached mid-flow waits for the event
            // in its run (published above) and must not start a run of its own.
            foreach (var trigger in definition.Root.Children.Where(c => c.Type == "Elsa.Event" && c.CanStartWorkflow
                && Expressions.FlowExpression.From(c.Property("eventName"))?.Value == row.Topic))
            {
                var input = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["payload"] = JsonNode.Parse(row.Payload),
                    ["topic"] = row.Topic,
                    ["company"] = row.Company,
                    ["entityKey"] = row.EntityKey,
                    ["outboxId"] = row.Id,
                    ["eventActivityId"] = trigger.Id,
                };
                if (!Passes(definition, trigger, input, filterFailures))
                {
                    continue;
                }

                if (runs.Started(Trigger(row), definition.DefinitionId))
                {
                    continue;
                }

                await using var lease = leases.Begin(definition.DefinitionId, version, Trigger(row));
                var state = await runner.RunAsync(definition, input, trigger.Id, lease.CheckpointAsync, cancellationToken);
                await FlowInstanceStore.SaveAsync(connection, transaction, definition.DefinitionId, version, Trigger(row), state, lease.Owner, stored: lease.Stored);
                runs.AddStarted(Trigger(row), definition.DefinitionId);
                // A run that now waits is not among the waiting runs read for the batch: the events after it look theirs up.
                runs.Stale |= state.Status == FlowRunStatus.Suspended;
                logger.LogInformation("Outbox {OutboxId} ({Topic} {EntityKey}) ran flow {DefinitionId} v{Version}: {Status}",
                    row.Id, row.Topic, row.EntityKey, definition.DefinitionId, version, state.Status);
            }
        }

        if (filterFailures.Count > 0)
        {
            // The other flows took the event; the row is marked failed with the reason, for an operator to fix the filter.
            throw new EventFilterException(string.Join("; ", filterFailures), new InvalidOperationException(row.Topic));
        }
    }

    // An event its trigger's filter refuses starts no run (and leaves nothing in the journal); a filter that fails on it is reported.
    private bool Passes(Model.FlowDefinition definition, Model.FlowActivityNode trigger, Dictionary<string, object?> input, List<string> failures)
    {
        try
        {
            if (TriggerFilter.Of(trigger).Matches(input, configuration))
            {
                return true;
            }

            logger.LogDebug("Outbox {OutboxId} ({Topic} {EntityKey}) does not pass the filter of {DefinitionId}/{Trigger}",
                input["outboxId"], input["topic"], input["entityKey"], definition.DefinitionId, trigger.Id);
            return false;
        }
        catch (Exception ex) when (ex is EventFilterException or FormatException)
        {
            failures.Add($"flow {definition.DefinitionId}, trigger {trigger.Id}: filter: {ex.Message}");
            return false;
        }
    }
}
